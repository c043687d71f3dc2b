package io.oneuihub.budget;

import java.util.List;
import java.util.Map;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Controller
class BudgetAlertController {

    private final BudgetAlertService alerts;

    BudgetAlertController(BudgetAlertService alerts) {
        this.alerts = alerts;
    }

    @SubscriptionMapping
    Flux<BudgetAlert> budgetAlerts(@Argument List<BudgetAlertKind> kinds) {
        return alerts.alerts(kinds);
    }

    /** Keyed by the alert (equal by id); one statement per batch, by budget id. */
    @BatchMapping
    Mono<Map<BudgetAlert, Budget>> budget(List<BudgetAlert> batch) {
        return alerts.budgetsOf(batch);
    }
}
