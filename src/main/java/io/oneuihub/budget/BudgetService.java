package io.oneuihub.budget;

import java.util.List;

import io.oneuihub.catalog.RecordStatus;
import io.oneuihub.graphql.Connection;
import io.oneuihub.graphql.Ids;
import io.oneuihub.graphql.PageArguments;
import io.oneuihub.graphql.PageRequest;
import io.oneuihub.graphql.PagingLimits;
import io.oneuihub.graphql.SqlFilter;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Budgets reveal who spends what: admins only. */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class BudgetService {

    private final BudgetRepository budgets;
    private final PagingLimits limits;

    public BudgetService(BudgetRepository budgets, PagingLimits limits) {
        this.budgets = budgets;
        this.limits = limits;
    }

    /** Without an order: by scope, then external id (the order budgets had before orderBy existed). */
    public Mono<Connection<Budget>> budgets(BudgetFilter filter, BudgetOrder order, PageArguments paging, boolean withTotal) {
        PageRequest page = paging.resolve(limits);
        BudgetFilter given = filter == null ? BudgetFilter.NONE : filter;
        List<RecordStatus> statuses = given.statuses() == null ? List.of(RecordStatus.ACTIVE) : given.statuses();
        SqlFilter where = new SqlFilter()
                .and("b.scope = ANY(?)", given.scopes() == null ? null : given.scopes().stream().map(Enum::name).toArray(String[]::new))
                .and("b.status = ANY(?)", statuses.stream().map(Enum::name).toArray(String[]::new))
                .and("(b.external_id ILIKE ? OR b.name ILIKE ?)",
                        given.search() == null ? null : SqlFilter.containsPattern(given.search()))
                .and(BudgetFilter.OVER_SOFT_BUDGET + " = ?", given.overSoftBudget())
                .and(BudgetFilter.EXHAUSTED + " = ?", given.exhausted());
        return budgets.page(where, order == null ? BudgetRepository.BY_SCOPE_AND_KEY : order.ordering(), page, withTotal);
    }

    public Mono<Budget> budget(String id) {
        return budgets.findById(Ids.parse("id", id));
    }
}
