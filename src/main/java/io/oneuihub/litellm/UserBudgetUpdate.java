package io.oneuihub.litellm;

import java.math.BigDecimal;
import java.util.List;

import io.oneuihub.budget.ModelBudget;

/**
 * Budget fields of an internal user. {@code maxBudget} is always sent (null clears the cap on builds since
 * early 2026; older builds ignore the null); the other fields are sent only when non-null, because LiteLLM
 * drops nulls for them anyway. {@code spend} overwrites the counter (a manual reset).
 */
public record UserBudgetUpdate(
        String userId,
        BigDecimal maxBudget,
        String duration,
        Long tpmLimit,
        Long rpmLimit,
        Integer maxParallelRequests,
        BigDecimal spend,
        List<ModelBudget> modelBudgets) {

    public UserBudgetUpdate {
        modelBudgets = modelBudgets == null ? List.of() : List.copyOf(modelBudgets);
    }

    public UserBudgetUpdate(String userId, BigDecimal maxBudget, String duration, Long tpmLimit, Long rpmLimit,
            Integer maxParallelRequests, BigDecimal spend) {
        this(userId, maxBudget, duration, tpmLimit, rpmLimit, maxParallelRequests, spend, List.of());
    }
}
