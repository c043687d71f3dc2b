package io.oneuihub.litellm;

/**
 * A customer to create or change. Budgets are linked by id only: LiteLLM's inline budget fields create a
 * private row (on create) or edit the linked, possibly shared, row in place (on update).
 * Note LiteLLM's update drops {@code false} values, so {@code blocked=false} cannot unblock through it.
 */
public record CustomerRequest(String id, String alias, String budgetId, Boolean blocked, String allowedModelRegion,
        String defaultModel) {
}
