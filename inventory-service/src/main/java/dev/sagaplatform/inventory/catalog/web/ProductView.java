package dev.sagaplatform.inventory.catalog.web;

import dev.sagaplatform.inventory.catalog.persistence.Product;
import java.math.BigDecimal;

/** A product as the API shows it; {@code onHand = available + reserved}. */
public record ProductView(String sku, String name, BigDecimal price, int onHand, int available, int reserved) {

    static ProductView of(Product product) {
        return new ProductView(product.sku(), product.name(), product.price(), product.onHand(),
                product.available(), product.reserved());
    }
}
