package io.oneuihub.budget;

import graphql.schema.DataFetchingFieldSelectionSet;
import io.oneuihub.graphql.Connection;
import io.oneuihub.graphql.PageArguments;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

@Controller
class BudgetController {

    private final BudgetService budgets;

    BudgetController(BudgetService budgets) {
        this.budgets = budgets;
    }

    @QueryMapping
    Mono<Connection<Budget>> budgets(@Argument Integer first, @Argument String after, @Argument Integer last,
            @Argument String before, @Argument BudgetFilter filter, @Argument BudgetOrder orderBy,
            DataFetchingFieldSelectionSet selection) {
        return budgets.budgets(filter, orderBy, new PageArguments(first, after, last, before), selection.contains("totalCount"));
    }

    @QueryMapping
    Mono<Budget> budget(@Argument String id) {
        return budgets.budget(id);
    }
}
