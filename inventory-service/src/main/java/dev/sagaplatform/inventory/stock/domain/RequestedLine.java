package dev.sagaplatform.inventory.stock.domain;

import java.util.Objects;

/** One line of an order as far as stock is concerned: which SKU and how many units. */
public record RequestedLine(String sku, int quantity) {

    public RequestedLine {
        Objects.requireNonNull(sku, "sku must not be null");
    }
}
