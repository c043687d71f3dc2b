package io.oneuihub.budget;

/** How many stored ACTIVE budgets there are, and how many are over their soft or hard limit. */
public record BudgetCounts(int total, int overSoftBudget, int exhausted) {
}
