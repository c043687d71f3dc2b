package io.oneuihub.budget;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import io.oneuihub.graphql.InvalidInputException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Budget alerts reveal who spends what, as budgets do: admins only. */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class BudgetAlertService {

    private final BudgetAlertBus bus;
    private final BudgetAlertStore store;

    public BudgetAlertService(BudgetAlertBus bus, BudgetAlertStore store) {
        this.bus = bus;
        this.store = store;
    }

    /**
     * The alerts of every instance's budgets syncs from now on, of the given kinds (null: all kinds; an empty list
     * is refused, as it could never send anything). Never completes.
     */
    public Flux<BudgetAlert> alerts(List<BudgetAlertKind> kinds) {
        if (kinds != null && kinds.isEmpty()) {
            return Flux.error(new InvalidInputException("kinds", "Give at least one kind, or leave kinds out for all of them."));
        }
        Set<BudgetAlertKind> wanted = kinds == null ? EnumSet.allOf(BudgetAlertKind.class) : EnumSet.copyOf(kinds);
        return bus.alerts(wanted);
    }

    /** The alerts' budgets in one statement, deleted (tombstoned) ones included. */
    public Mono<Map<BudgetAlert, Budget>> budgetsOf(List<BudgetAlert> alerts) {
        Set<java.util.UUID> ids = alerts.stream().map(BudgetAlert::budgetId).collect(Collectors.toSet());
        return store.budgets(ids).map(byId -> alerts.stream()
                .filter(alert -> byId.containsKey(alert.budgetId()))
                .collect(Collectors.toMap(alert -> alert, alert -> Objects.requireNonNull(byId.get(alert.budgetId())),
                        (a, b) -> a)));
    }
}
