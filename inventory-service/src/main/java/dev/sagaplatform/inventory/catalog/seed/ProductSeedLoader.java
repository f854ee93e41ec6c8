package dev.sagaplatform.inventory.catalog.seed;

import dev.sagaplatform.inventory.InventoryProperties;
import dev.sagaplatform.inventory.catalog.persistence.Product;
import dev.sagaplatform.inventory.catalog.persistence.ProductRepository;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Loads the demo catalogue into an empty products table. Runs once all beans exist but before the
 * Kafka consumers start, so no reservation can see an empty catalogue and reject every SKU as unknown.
 */
@Component
public class ProductSeedLoader implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ProductSeedLoader.class);

    private final InventoryProperties.Seed settings;
    private final ResourceLoader resources;
    private final ProductRepository products;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    ProductSeedLoader(InventoryProperties properties, ResourceLoader resources, ProductRepository products,
                      JdbcClient jdbc, TransactionTemplate transactions) {
        this.settings = properties.seed();
        this.resources = resources;
        this.products = products;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!settings.enabled()) {
            log.info("product seeding disabled (inventory.seed.location=none)");
            return;
        }
        load(settings.location());
    }

    /**
     * Inserts every product of the file if, and only if, the table is empty, in one transaction.
     * The file is read and validated first, so a bad entry loads nothing.
     *
     * @return how many products were inserted: 0 when the table already had products
     */
    public int load(String location) {
        List<SeedProduct> seed = read(location);
        Integer inserted = transactions.execute(status -> {
            // Two instances starting together must not both find the table empty; plain reads go on.
            jdbc.sql("lock table products in exclusive mode").update();
            if (products.count() > 0) {
                return 0;
            }
            products.saveAll(seed.stream()
                    .map(p -> new Product(p.sku(), p.name(), p.price(), p.stock()))
                    .toList());
            return seed.size();
        });
        if (inserted != null && inserted > 0) {
            log.info("seeded {} products from {}", inserted, location);
        } else {
            log.info("products table not empty, seed {} not loaded", location);
        }
        return inserted == null ? 0 : inserted;
    }

    private List<SeedProduct> read(String location) {
        Resource resource = resources.getResource(location.strip());
        if (!resource.exists()) {
            throw new InvalidSeedDataException("seed file " + location + " does not exist"
                    + " (set inventory.seed.location, or 'none' to disable seeding)");
        }
        try (InputStream in = resource.getInputStream()) {
            return SeedFile.parse(in, location);
        } catch (IOException e) {
            throw new InvalidSeedDataException("seed file " + location + " cannot be read: " + e.getMessage(), e);
        }
    }
}
