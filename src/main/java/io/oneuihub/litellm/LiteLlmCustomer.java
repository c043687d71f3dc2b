package io.oneuihub.litellm;

import java.math.BigDecimal;

/**
 * A LiteLLM customer (end user, the {@code user} of a completion call).
 *
 * @param spend    this customer's own counter; several customers on one shared budget have separate spend
 * @param budgetId linked budget; taken from the embedded budget on builds without a top-level id
 * @param budget   the linked budget as embedded by LiteLLM (some views omit its reset time); null if none
 */
public record LiteLlmCustomer(
        String id,
        String alias,
        BigDecimal spend,
        String budgetId,
        LiteLlmBudget budget,
        boolean blocked,
        String allowedModelRegion,
        String defaultModel) {
}
