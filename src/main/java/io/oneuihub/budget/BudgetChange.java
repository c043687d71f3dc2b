package io.oneuihub.budget;

import java.math.BigDecimal;
import java.util.List;

import org.springframework.graphql.data.ArgumentValue;

/**
 * The limits a budget mutation sets, checked and normalised: an absent field leaves a limit as it is, null
 * clears it.
 */
record BudgetChange(
        ArgumentValue<BigDecimal> maxBudget,
        ArgumentValue<BigDecimal> softBudget,
        ArgumentValue<String> duration,
        ArgumentValue<Long> tpmLimit,
        ArgumentValue<Long> rpmLimit,
        ArgumentValue<Integer> maxParallelRequests,
        ArgumentValue<List<ModelBudget>> modelBudgets) {

    /** The complete limits of a budget, as LiteLLM keeps them. */
    record Limits(BigDecimal maxBudget, BigDecimal softBudget, String duration, Long tpmLimit, Long rpmLimit,
            Integer maxParallelRequests, List<ModelBudget> modelBudgets) {

        Limits {
            modelBudgets = modelBudgets == null ? List.of() : List.copyOf(modelBudgets);
        }

        static final Limits NONE = new Limits(null, null, null, null, null, null, List.of());
    }

    /** True when any limit is given (set or cleared). */
    boolean any() {
        return !maxBudget.isOmitted() || !softBudget.isOmitted() || !duration.isOmitted() || !tpmLimit.isOmitted()
                || !rpmLimit.isOmitted() || !maxParallelRequests.isOmitted() || !modelBudgets.isOmitted();
    }

    /** True when any limit is set to a value (for createBudget: the budget has limits of its own). */
    boolean anyValue() {
        return maxBudget.value() != null || softBudget.value() != null || duration.value() != null || tpmLimit.value() != null
                || rpmLimit.value() != null || maxParallelRequests.value() != null
                || (modelBudgets.value() != null && !modelBudgets.value().isEmpty());
    }

    /** These limits applied to the current ones. */
    Limits applyTo(Limits current) {
        return new Limits(
                pick(maxBudget, current.maxBudget()),
                pick(softBudget, current.softBudget()),
                pick(duration, current.duration()),
                pick(tpmLimit, current.tpmLimit()),
                pick(rpmLimit, current.rpmLimit()),
                pick(maxParallelRequests, current.maxParallelRequests()),
                pick(modelBudgets, current.modelBudgets()));
    }

    private static <T> T pick(ArgumentValue<T> change, T current) {
        return change.isOmitted() ? current : change.value();
    }
}
