package io.oneuihub.litellm;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.oneuihub.budget.ModelBudget;

/**
 * A LiteLLM team with the budget columns on its own row.
 *
 * @param softBudget     only stored by current builds; null elsewhere
 * @param memberBudgetId the shared default per-member budget row, when the team has one
 */
public record LiteLlmTeam(
        String id,
        String alias,
        String organizationId,
        BigDecimal maxBudget,
        BigDecimal softBudget,
        BigDecimal spend,
        String duration,
        OffsetDateTime resetAt,
        Long tpmLimit,
        Long rpmLimit,
        Integer maxParallelRequests,
        List<ModelBudget> modelBudgets,
        Map<String, BigDecimal> modelSpend,
        List<String> models,
        boolean blocked,
        String memberBudgetId,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    public LiteLlmTeam {
        modelBudgets = modelBudgets == null ? List.of() : List.copyOf(modelBudgets);
        modelSpend = modelSpend == null ? Map.of() : Map.copyOf(modelSpend);
        models = models == null ? List.of() : List.copyOf(models);
    }
}
