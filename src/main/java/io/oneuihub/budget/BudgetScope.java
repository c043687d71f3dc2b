package io.oneuihub.budget;

public enum BudgetScope {
    SHARED,
    CUSTOMER,
    USER,
    TEAM
}
