package dev.sagaplatform.inventory.catalog.persistence;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface ProductRepository extends JpaRepository<Product, String>, ProductStore {

    Page<Product> findBySkuIn(Collection<String> skus, Pageable pageable);

    /**
     * Locks the rows for the rest of the transaction, in SKU order: PostgreSQL locks rows as the
     * sorted result is produced, so two orders sharing SKUs always lock them in the same order and
     * cannot deadlock, whatever the order of their lines. Plain {@code for update}, written out so
     * the lock is visible here rather than inferred from a lock mode.
     */
    @Override
    @Query(value = "select * from products where sku in (:skus) order by sku for update", nativeQuery = true)
    List<Product> lockBySkus(Collection<String> skus);

    /**
     * Creates the product with all of {@code onHand} available; 0 when the SKU exists. A concurrent create
     * of the same SKU waits for the other transaction and then counts 0, so two creates never both win.
     */
    @Modifying
    @Query(value = "insert into products (sku, name, price, available, reserved) values (:sku, :name, :price, :onHand, 0)"
            + " on conflict (sku) do nothing", nativeQuery = true)
    int insertIfAbsent(String sku, String name, BigDecimal price, int onHand);
}
