package io.oneuihub.litellm;

/** One field of {@code /budget/settings}: its name, LiteLLM's type name and the stored value (null = unset). */
public record BudgetSetting(String name, String type, Object value) {
}
