package io.oneuihub.litellm;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import io.oneuihub.budget.ModelBudget;

/**
 * A row of LiteLLM's budget table. It holds limits only: spend lives on whoever uses the budget.
 *
 * @param duration LiteLLM's period string ({@code 30d}, {@code 1mo}); null = never resets
 * @param resetAt  next reset; null when LiteLLM did not compute one (or the view omits it)
 */
public record LiteLlmBudget(
        String id,
        BigDecimal maxBudget,
        BigDecimal softBudget,
        Integer maxParallelRequests,
        Long tpmLimit,
        Long rpmLimit,
        String duration,
        OffsetDateTime resetAt,
        List<ModelBudget> modelBudgets,
        List<String> allowedModels,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    public LiteLlmBudget {
        modelBudgets = modelBudgets == null ? List.of() : List.copyOf(modelBudgets);
        allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
    }
}
