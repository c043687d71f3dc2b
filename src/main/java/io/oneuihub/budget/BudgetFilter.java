package io.oneuihub.budget;

import java.util.List;

import io.oneuihub.catalog.RecordStatus;

/**
 * budgets(filter:). overSoftBudget and exhausted split the budgets in two: true is the condition below, false
 * everything else (budgets without that limit too).
 */
public record BudgetFilter(List<BudgetScope> scopes, List<RecordStatus> statuses, String search, Boolean overSoftBudget,
        Boolean exhausted) {

    /** With a softBudget and spend >= softBudget; never NULL (false without a softBudget), over {@code budget b}. */
    public static final String OVER_SOFT_BUDGET = "(b.soft_budget IS NOT NULL AND b.spend >= b.soft_budget)";

    /** With a maxBudget and spend >= maxBudget (a maxBudget of 0 is exhausted at once); never NULL, over {@code budget b}. */
    public static final String EXHAUSTED = "(b.max_budget IS NOT NULL AND b.spend >= b.max_budget)";

    public static final BudgetFilter NONE = new BudgetFilter(null, null, null, null, null);
}
