package io.oneuihub.budget;

import java.math.BigDecimal;

public record ModelBudgetInput(String model, BigDecimal maxBudget, String duration, Long tpmLimit, Long rpmLimit) {
}
