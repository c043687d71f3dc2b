package io.oneuihub.budget;

import io.oneuihub.graphql.DeletePayload;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** The Mutation fields that change budgets (in LiteLLM first, then here). */
@Controller
class BudgetMutations {

    private final BudgetMutationService budgets;

    BudgetMutations(BudgetMutationService budgets) {
        this.budgets = budgets;
    }

    @MutationMapping
    Mono<BudgetPayload> createBudget(@Argument CreateBudgetInput input) {
        return budgets.create(input);
    }

    @MutationMapping
    Mono<BudgetPayload> updateBudget(@Argument UpdateBudgetInput input) {
        return budgets.update(input);
    }

    @MutationMapping
    Mono<DeletePayload> deleteBudget(@Argument DeleteBudgetInput input) {
        return budgets.delete(input);
    }
}
