package io.oneuihub.budget;

import java.math.BigDecimal;

/** A per-model limit inside a budget (LiteLLM's model_max_budget entry). */
public record ModelBudget(String model, BigDecimal maxBudget, String duration, Long tpmLimit, Long rpmLimit) {
}
