package io.oneuihub.budget;

/** What a {@link BudgetAlert} says; see {@link BudgetAlertRules} for when each is sent. */
public enum BudgetAlertKind {
    SOFT_LIMIT_REACHED,
    EXHAUSTED,
    RESET
}
