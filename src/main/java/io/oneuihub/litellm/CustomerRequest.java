package io.oneuihub.litellm;

/**
 * A customer to create or change. On update budgets are linked by id only: LiteLLM's inline budget fields edit
 * the linked, possibly shared, row in place. On create, {@link LiteLlmClient#createCustomer(CustomerRequest, BudgetRequest)}
 * sends limits inline, which makes LiteLLM create a private budget row for the customer.
 * Note LiteLLM's update drops {@code false} values, so {@code blocked=false} cannot unblock through it.
 */
public record CustomerRequest(String id, String alias, String budgetId, Boolean blocked, String allowedModelRegion,
        String defaultModel) {
}
