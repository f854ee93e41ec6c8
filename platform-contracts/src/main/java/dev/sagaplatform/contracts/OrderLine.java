package dev.sagaplatform.contracts;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One line of an order, with the unit price fixed when the order was placed so that every later
 * step charges and refunds the same amount whatever the catalogue price is by then.
 */
public record OrderLine(String sku, int quantity, BigDecimal unitPrice) {

    public OrderLine {
        Objects.requireNonNull(sku, "sku must not be null");
        Objects.requireNonNull(unitPrice, () -> "unitPrice of sku " + sku + " must not be null");
    }
}
