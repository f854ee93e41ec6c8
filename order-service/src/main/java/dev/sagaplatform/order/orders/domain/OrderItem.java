package dev.sagaplatform.order.orders.domain;

import java.math.BigDecimal;
import java.util.Objects;

/** One priced line of a placed order; the price is the catalogue price at placement time. */
public record OrderItem(String sku, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {

    public OrderItem {
        Objects.requireNonNull(sku, "sku must not be null");
        Objects.requireNonNull(unitPrice, "unitPrice must not be null");
        Objects.requireNonNull(lineTotal, "lineTotal must not be null");
    }
}
