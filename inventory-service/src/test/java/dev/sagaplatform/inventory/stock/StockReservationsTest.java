package dev.sagaplatform.inventory.stock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.inventory.catalog.persistence.Product;
import dev.sagaplatform.inventory.catalog.persistence.ProductStore;
import dev.sagaplatform.inventory.stock.domain.ReleaseAction;
import dev.sagaplatform.inventory.stock.domain.RequestedLine;
import dev.sagaplatform.inventory.stock.domain.ReservationStatus;
import dev.sagaplatform.inventory.stock.persistence.Reservation;
import dev.sagaplatform.inventory.stock.persistence.ReservationStore;
import dev.sagaplatform.messaging.simulation.PlantedBug;
import dev.sagaplatform.messaging.simulation.PlantedBugs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Stock operations built with {@code new}, as the deterministic simulator builds them, on stores kept in maps. */
class StockReservationsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final UUID ORDER = UUID.fromString("00000000-0000-0000-0000-000000000001");

    private final Product apple = new Product("SKU-APPLE", "Apple", new BigDecimal("1.00"), 10);

    @Test
    void releaseGivesBackWhatTheOrderHoldsOnce() {
        StockReservations stock = stockWith(PlantedBugs.NONE);
        stock.reserve(ORDER, List.of(new RequestedLine("SKU-APPLE", 3)));

        ReleaseAction action = stock.release(ORDER);

        assertThat(action).isEqualTo(ReleaseAction.RETURN_STOCK);
        assertThat(apple.available()).isEqualTo(10);
        assertThat(apple.reserved()).isZero();
        assertThat(stock.find(ORDER).map(Reservation::status)).contains(ReservationStatus.RELEASED);
    }

    @Test
    void plantedDoubleReleaseGivesBackWhatTheOrderHoldsTwice() {
        StockReservations stock = stockWith(PlantedBugs.of(List.of(PlantedBug.DOUBLE_RELEASE)));
        stock.reserve(ORDER, List.of(new RequestedLine("SKU-APPLE", 3)));

        stock.release(ORDER);

        assertThat(apple.available()).isEqualTo(13);
        assertThat(apple.reserved()).isEqualTo(-3);
    }

    private StockReservations stockWith(PlantedBugs plantedBugs) {
        ProductStore products = skus -> skus.contains(apple.sku()) ? List.of(apple) : List.of();
        return new StockReservations(products, new ReservationsInMemory(), new StockMetrics(new SimpleMeterRegistry()),
                Clock.fixed(NOW, ZoneOffset.UTC), plantedBugs);
    }

    /** No transactions here: what a store hands out is the stored object itself, so changes to it are kept. */
    private static final class ReservationsInMemory implements ReservationStore {

        private final Map<UUID, Reservation> byOrder = new HashMap<>();

        @Override
        public Optional<Reservation> findById(UUID orderId) {
            return Optional.ofNullable(byOrder.get(orderId));
        }

        @Override
        public Optional<Reservation> lockById(UUID orderId) {
            return findById(orderId);
        }

        @Override
        public Reservation save(Reservation reservation) {
            byOrder.put(reservation.orderId(), reservation);
            return reservation;
        }
    }
}
