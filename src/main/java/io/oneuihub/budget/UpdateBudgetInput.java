package io.oneuihub.budget;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.graphql.data.ArgumentValue;

/** Every changeable field tells an absent field (left as it is) from an explicit null (cleared). */
public record UpdateBudgetInput(
        String id,
        ArgumentValue<BigDecimal> maxBudget,
        ArgumentValue<BigDecimal> softBudget,
        ArgumentValue<String> duration,
        ArgumentValue<Long> tpmLimit,
        ArgumentValue<Long> rpmLimit,
        ArgumentValue<Integer> maxParallelRequests,
        ArgumentValue<List<ModelBudgetInput>> modelBudgets,
        ArgumentValue<String> sharedBudgetId,
        OffsetDateTime expectedUpdatedAt) {
}
