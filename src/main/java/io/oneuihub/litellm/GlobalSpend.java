package io.oneuihub.litellm;

import java.math.BigDecimal;

/**
 * Proxy-wide spend over the trailing 30 days.
 *
 * @param spend     null when LiteLLM has no spend logs in the window (no traffic): LiteLLM says null, not 0,
 *                  and a figure of 0 would claim a measurement nobody made
 * @param maxBudget the proxy-wide cap; null = none
 */
public record GlobalSpend(BigDecimal spend, BigDecimal maxBudget) {
}
