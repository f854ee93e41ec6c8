package dev.sagaplatform.inventory.catalog;

import dev.sagaplatform.inventory.catalog.persistence.Product;
import dev.sagaplatform.inventory.catalog.persistence.ProductRepository;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates and restocks products, for load runs and demos ({@code PUT /products/{sku}}). */
@Service
public class ProductAdministration {

    public record Outcome(Product product, boolean created) {
    }

    private final ProductRepository products;

    ProductAdministration(ProductRepository products) {
        this.products = products;
    }

    /**
     * @param price  {@code null} to keep it; required to create
     * @param onHand the new total on hand, {@code null} to keep it; required to create
     * @param name   {@code null} to keep it; a new product is named by its SKU
     * @throws NewProductIncompleteException when the SKU is new and price or onHand is missing
     */
    @Transactional
    public Outcome put(String sku, BigDecimal price, Integer onHand, String name) {
        if (price != null && onHand != null
                && products.insertIfAbsent(sku, name == null ? sku : name, price, onHand) == 1) {
            return new Outcome(products.findById(sku).orElseThrow(), true);
        }
        // The lock a reservation takes: no order can reserve between the check against the reserved
        // stock and the restock.
        Product product = products.lockBySkus(List.of(sku)).stream().findFirst()
                .orElseThrow(() -> new NewProductIncompleteException(sku, price == null, onHand == null));
        if (onHand != null) {
            product.restock(onHand);
        }
        if (price != null) {
            product.reprice(price);
        }
        if (name != null) {
            product.rename(name);
        }
        return new Outcome(product, false);
    }
}
