package io.oneuihub.litellm;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import io.oneuihub.budget.ModelBudget;

/**
 * The complete desired state of a LiteLLM budget. On create, null fields are left to LiteLLM (a null id makes
 * it generate one); on update every limit is written, so null clears it ("unlimited").
 *
 * @param duration {@code Ns|Nm|Nh|Nd|Nw|1mo}; checked before anything is sent
 * @param resetAt  null lets LiteLLM compute the first reset on create; on update LiteLLM does not recompute it
 */
public record BudgetRequest(
        String id,
        BigDecimal maxBudget,
        BigDecimal softBudget,
        Integer maxParallelRequests,
        Long tpmLimit,
        Long rpmLimit,
        String duration,
        OffsetDateTime resetAt,
        List<ModelBudget> modelBudgets) {

    public BudgetRequest {
        modelBudgets = modelBudgets == null ? List.of() : List.copyOf(modelBudgets);
    }
}
