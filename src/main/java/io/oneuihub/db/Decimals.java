package io.oneuihub.db;

import java.math.BigDecimal;

public final class Decimals {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private Decimals() {
    }

    /** numeric(30,18) reads back with 18 decimals; show 0.0000025, not 0.000002500000000000 or 2.5E-6. */
    public static BigDecimal normalize(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    public static BigDecimal perMillion(BigDecimal perToken) {
        return perToken == null ? null : normalize(perToken.multiply(MILLION));
    }
}
