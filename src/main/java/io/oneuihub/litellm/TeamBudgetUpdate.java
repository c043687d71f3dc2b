package io.oneuihub.litellm;

import java.math.BigDecimal;

/**
 * The complete desired budget state of a team: every field is written and null clears it. Spend is not
 * writable through LiteLLM's team routes. {@code softBudget} is ignored by builds before 2026.
 */
public record TeamBudgetUpdate(
        String teamId,
        BigDecimal maxBudget,
        BigDecimal softBudget,
        String duration,
        Long tpmLimit,
        Long rpmLimit,
        Integer maxParallelRequests) {
}
