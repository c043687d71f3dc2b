package io.oneuihub.catalog;

import java.math.BigDecimal;

import io.oneuihub.db.Decimals;

public record ModelPricing(BigDecimal inputCostPerToken, BigDecimal outputCostPerToken) {

    public BigDecimal inputCostPerMillionTokens() {
        return Decimals.perMillion(inputCostPerToken);
    }

    public BigDecimal outputCostPerMillionTokens() {
        return Decimals.perMillion(outputCostPerToken);
    }
}
