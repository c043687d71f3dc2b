package io.oneuihub.catalog;

import java.math.BigDecimal;

import org.springframework.graphql.data.ArgumentValue;

/** Per token or per million tokens (one form); an explicit null removes a custom price in an update. */
public record PricingInput(
        ArgumentValue<BigDecimal> inputCostPerToken,
        ArgumentValue<BigDecimal> outputCostPerToken,
        ArgumentValue<BigDecimal> inputCostPerMillionTokens,
        ArgumentValue<BigDecimal> outputCostPerMillionTokens) {
}
