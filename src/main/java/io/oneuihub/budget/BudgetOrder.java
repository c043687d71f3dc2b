package io.oneuihub.budget;

import java.util.List;

import io.oneuihub.graphql.OrderDirection;
import io.oneuihub.graphql.Ordering;
import io.oneuihub.graphql.SortKey;

/** budgets(orderBy:). Without one, budgets keep their scope-then-key order ({@link BudgetRepository#BY_SCOPE_AND_KEY}). */
public record BudgetOrder(Field field, OrderDirection direction) {

    public enum Field {
        NAME,
        SPEND,
        REMAINING,
        UTILIZATION,
        RESET_AT
    }

    /** The schema's defaults, for an orderBy given without them. */
    public BudgetOrder {
        field = field == null ? Field.NAME : field;
        direction = direction == null ? OrderDirection.ASC : direction;
    }

    /**
     * Budgets without the value (no maxBudget; maxBudget 0 for UTILIZATION; no resetAt) sort last in either
     * direction: the missing value is replaced by the end the direction reaches last, as in the model catalog.
     */
    Ordering ordering() {
        boolean descending = direction == OrderDirection.DESC;
        String lastNumber = descending ? "'-Infinity'::numeric" : "'Infinity'::numeric";
        String lastTime = descending ? "'-infinity'::timestamptz" : "'infinity'::timestamptz";
        SortKey key = switch (field) {
            case NAME -> new SortKey("coalesce(b.name, b.external_id, '')", SortKey.Type.TEXT);
            case SPEND -> new SortKey("b.spend", SortKey.Type.NUMERIC);
            case REMAINING -> new SortKey("coalesce(b.max_budget - b.spend, " + lastNumber + ")", SortKey.Type.NUMERIC);
            // Any two quotients of numeric(30, 12) values that differ, differ by more than 1e-60 (|s1*m2 - s2*m1|
            // >= 1 in units of 1e-12 over m1*m2 < 1e60): at 61 decimals the order is the exact quotients' order,
            // and budgets with equal utilization tie (then the id decides), as they look in the API.
            case UTILIZATION -> new SortKey("coalesce(round(b.spend, 61) / nullif(b.max_budget, 0), " + lastNumber + ")",
                    SortKey.Type.NUMERIC);
            case RESET_AT -> new SortKey("coalesce(b.reset_at, " + lastTime + ")", SortKey.Type.TIMESTAMPTZ);
        };
        return new Ordering("budgets:" + field + ":" + direction, List.of(key, SortKey.id("b")), descending);
    }
}
