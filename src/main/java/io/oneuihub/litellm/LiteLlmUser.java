package io.oneuihub.litellm;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.oneuihub.budget.ModelBudget;

/** An internal LiteLLM user with the budget columns on its own row ({@code maxBudget} null = unlimited). */
public record LiteLlmUser(
        String id,
        String email,
        String alias,
        String role,
        BigDecimal maxBudget,
        BigDecimal spend,
        String duration,
        OffsetDateTime resetAt,
        Long tpmLimit,
        Long rpmLimit,
        Integer maxParallelRequests,
        List<ModelBudget> modelBudgets,
        Map<String, BigDecimal> modelSpend,
        List<String> teams,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    public LiteLlmUser {
        modelBudgets = modelBudgets == null ? List.of() : List.copyOf(modelBudgets);
        modelSpend = modelSpend == null ? Map.of() : Map.copyOf(modelSpend);
        teams = teams == null ? List.of() : List.copyOf(teams);
    }
}
