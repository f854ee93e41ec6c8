package dev.sagaplatform.simulator.adapters;

import dev.sagaplatform.inventory.catalog.persistence.Product;
import dev.sagaplatform.inventory.catalog.persistence.ProductStore;
import dev.sagaplatform.inventory.stock.persistence.Reservation;
import dev.sagaplatform.inventory.stock.persistence.ReservationStore;
import dev.sagaplatform.simulator.store.Database;
import dev.sagaplatform.simulator.store.Table;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The simulator's adapters of inventory-service's {@link ProductStore} and {@link ReservationStore}. */
public final class InMemoryStock implements ProductStore, ReservationStore {

    private final Table<String, Product> products;
    private final Table<UUID, Reservation> reservations;

    public InMemoryStock(Database database) {
        this.products = database.table("products");
        this.reservations = database.table("reservations");
    }

    /** Seeds a product, in its own transaction. */
    public void add(Product product) {
        products.save(product.sku(), product);
    }

    @Override
    public List<Product> lockBySkus(Collection<String> skus) {
        List<Product> found = new ArrayList<>();
        skus.stream().distinct().sorted().forEach(sku -> products.find(sku).ifPresent(found::add));
        return found;
    }

    @Override
    public Optional<Reservation> findById(UUID orderId) {
        return reservations.find(orderId);
    }

    @Override
    public Optional<Reservation> lockById(UUID orderId) {
        return reservations.find(orderId);
    }

    @Override
    public Reservation save(Reservation reservation) {
        if (!reservations.insert(reservation.orderId(), reservation)) {
            // The primary key: what PostgreSQL refuses at commit, refused here at once (one thread, same outcome).
            throw new IllegalStateException("duplicate key: order " + reservation.orderId() + " has a reservation");
        }
        return reservation;
    }

    public Iterable<Product> committedProducts() {
        return products.committedRows();
    }

    public Iterable<Reservation> committedReservations() {
        return reservations.committedRows();
    }
}
