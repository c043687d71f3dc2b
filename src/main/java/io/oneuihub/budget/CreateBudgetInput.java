package io.oneuihub.budget;

import java.math.BigDecimal;
import java.util.List;

/** createBudget's input; on create an absent field and null mean the same: no such limit. */
public record CreateBudgetInput(
        BudgetScope scope,
        String externalId,
        String name,
        BigDecimal maxBudget,
        BigDecimal softBudget,
        String duration,
        Long tpmLimit,
        Long rpmLimit,
        Integer maxParallelRequests,
        List<ModelBudgetInput> modelBudgets,
        String sharedBudgetId) {
}
