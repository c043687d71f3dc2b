package io.oneuihub.litellm;

import java.math.BigDecimal;
import java.util.List;

import io.oneuihub.budget.ModelBudget;

/**
 * One field of {@code /budget/settings}, its value typed by what the field holds. LiteLLM names a type
 * (Float, Integer, String, Object) but sends plain JSON, so a value that does not fit its type keeps only
 * {@code value} (the JSON as sent) rather than being guessed at.
 *
 * @param value        the value as LiteLLM sent it, as plain Java values; null = unset
 * @param amount       Float fields (max_budget, soft_budget): USD, parsed from the JSON text, never through a double
 * @param number       Integer fields
 * @param text         String fields (budget_duration)
 * @param modelBudgets model_max_budget; null when the field is unset
 */
public record BudgetSetting(String name, String type, String description, Object value, BigDecimal amount, Long number,
        String text, List<ModelBudget> modelBudgets) {

    public boolean isSet() {
        return value != null;
    }
}
