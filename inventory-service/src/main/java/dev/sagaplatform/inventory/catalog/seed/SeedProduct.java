package dev.sagaplatform.inventory.catalog.seed;

import java.math.BigDecimal;

/** One validated entry of the seed file; {@code stock} starts out all available. */
public record SeedProduct(String sku, String name, BigDecimal price, int stock) {
}
