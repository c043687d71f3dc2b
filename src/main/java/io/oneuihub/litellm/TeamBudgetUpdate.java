package io.oneuihub.litellm;

import java.math.BigDecimal;
import java.util.List;

import io.oneuihub.budget.ModelBudget;

/**
 * The complete desired budget state of a team: every field is written and null clears it. Spend is not
 * writable through LiteLLM's team routes. {@code softBudget} is ignored by builds before 2026.
 * Two exceptions: {@code modelBudgets} (model_max_budget) null leaves them as they are, empty clears them; and
 * the duration is sent only when {@code sendDuration}, because LiteLLM restarts the team's period (recomputes
 * budget_reset_at) whenever budget_duration is in the request.
 */
public record TeamBudgetUpdate(
        String teamId,
        BigDecimal maxBudget,
        BigDecimal softBudget,
        String duration,
        Long tpmLimit,
        Long rpmLimit,
        Integer maxParallelRequests,
        boolean sendDuration,
        List<ModelBudget> modelBudgets) {

    public TeamBudgetUpdate {
        modelBudgets = modelBudgets == null ? null : List.copyOf(modelBudgets);
    }

    public TeamBudgetUpdate(String teamId, BigDecimal maxBudget, BigDecimal softBudget, String duration, Long tpmLimit,
            Long rpmLimit, Integer maxParallelRequests) {
        this(teamId, maxBudget, softBudget, duration, tpmLimit, rpmLimit, maxParallelRequests, true, null);
    }
}
