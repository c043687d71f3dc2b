package io.oneuihub.budget;

import io.oneuihub.graphql.Ids;
import io.oneuihub.graphql.InvalidInputException;
import io.oneuihub.graphql.NotFoundException;
import io.oneuihub.litellm.BudgetSetting;
import io.oneuihub.litellm.LiteLlmCustomer;
import io.oneuihub.litellm.LiteLlmViewService;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A hub budget's LiteLLM budget row settings, live. The caller names the budget by its hub id; which LiteLLM row
 * that is depends on the scope: a SHARED budget is one, a CUSTOMER budget uses its shared one or its own (whose id
 * the hub does not keep, so LiteLLM is asked for the customer's budget_id first), and USER and TEAM limits are
 * columns of the user or team, not a row.
 */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class BudgetSettingsService {

    private final BudgetRepository budgets;
    private final LiteLlmViewService litellm;

    public BudgetSettingsService(BudgetRepository budgets, LiteLlmViewService litellm) {
        this.budgets = budgets;
        this.litellm = litellm;
    }

    public Flux<BudgetSetting> settings(String budgetId) {
        return Mono.fromCallable(() -> Ids.parse("budgetId", budgetId))
                .flatMap(budgets::findById)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("budgetId", "No budget with id " + budgetId + ".")))
                .flatMap(this::budgetRowOf)
                .flatMapMany(litellm::budgetSettings);
    }

    private Mono<String> budgetRowOf(Budget budget) {
        return switch (budget.scope()) {
            case SHARED -> Mono.just(budget.externalId());
            case CUSTOMER -> budget.sharedBudgetExternalId() != null ? Mono.just(budget.sharedBudgetExternalId())
                    : litellm.customer(budget.externalId()).flatMap(BudgetSettingsService::ownRow)
                            .switchIfEmpty(Mono.error(() -> new NotFoundException("budgetId",
                                    "LiteLLM has no budget row for customer " + budget.externalId() + " any more.")));
            case USER, TEAM -> Mono.error(new InvalidInputException("budgetId", budget.scope() + " budgets have no LiteLLM budget row:"
                    + " their limits are columns of the " + budget.scope().name().toLowerCase() + ", shown in the Budget's own fields."));
        };
    }

    private static Mono<String> ownRow(LiteLlmCustomer customer) {
        String id = customer.budgetId() != null ? customer.budgetId() : customer.budget() == null ? null : customer.budget().id();
        return Mono.justOrEmpty(id);
    }
}
