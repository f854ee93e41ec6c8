package dev.sagaplatform.inventory.catalog.persistence;

import java.util.Collection;
import java.util.List;

/**
 * The products whose stock a reservation or a release changes. {@link ProductRepository} stores them in
 * PostgreSQL; the deterministic simulator keeps them in memory and runs the same stock operations on them.
 */
public interface ProductStore {

    /**
     * The products among {@code skus}, locked for the rest of the transaction and returned in SKU order; a SKU
     * with no product is simply absent. Callers pass the SKUs sorted and distinct, never none.
     */
    List<Product> lockBySkus(Collection<String> skus);
}
