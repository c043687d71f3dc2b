package io.oneuihub.budget;

import java.util.List;

import io.oneuihub.graphql.UserError;

public record BudgetPayload(Budget budget, List<UserError> userErrors) {

    public BudgetPayload {
        userErrors = List.copyOf(userErrors);
    }

    static BudgetPayload of(Budget budget) {
        return new BudgetPayload(budget, List.of());
    }

    static BudgetPayload refused(List<UserError> errors) {
        return new BudgetPayload(null, errors);
    }

    static BudgetPayload refused(UserError error) {
        return new BudgetPayload(null, List.of(error));
    }
}
