package dev.sagaplatform.gateway.charge.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Money as the processor accepts it: positive, whole cents. */
final class Amounts {

    static final int SCALE = 2;

    private Amounts() {
    }

    /** Normalised to two decimals so that 12.5 and 12.50 are the same stored amount. */
    static BigDecimal requirePositiveCents(BigDecimal amount, String name) {
        if (amount == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + amount.toPlainString());
        }
        if (amount.stripTrailingZeros().scale() > SCALE) {
            throw new IllegalArgumentException(name + " must have at most " + SCALE + " decimals, was " + amount.toPlainString());
        }
        return amount.setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
