package io.oneuihub.litellm;

import java.math.BigDecimal;

/**
 * Proxy-wide spend over the trailing 30 days.
 *
 * @param spend     zero when LiteLLM has no spend logs in the window (it answers null then)
 * @param maxBudget the proxy-wide cap; null = none
 */
public record GlobalSpend(BigDecimal spend, BigDecimal maxBudget) {

    public GlobalSpend {
        spend = spend == null ? BigDecimal.ZERO : spend;
    }
}
