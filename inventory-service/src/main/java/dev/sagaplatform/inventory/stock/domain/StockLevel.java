package dev.sagaplatform.inventory.stock.domain;

import java.util.Objects;

/** Units of one SKU that can still be reserved, as read under the row lock. */
public record StockLevel(String sku, int available) {

    public StockLevel {
        Objects.requireNonNull(sku, "sku must not be null");
    }
}
