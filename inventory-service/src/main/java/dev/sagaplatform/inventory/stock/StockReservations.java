package dev.sagaplatform.inventory.stock;

import dev.sagaplatform.inventory.catalog.persistence.Product;
import dev.sagaplatform.inventory.catalog.persistence.ProductStore;
import dev.sagaplatform.inventory.stock.domain.ReleaseAction;
import dev.sagaplatform.inventory.stock.domain.RequestedLine;
import dev.sagaplatform.inventory.stock.domain.ReservationDecision;
import dev.sagaplatform.inventory.stock.domain.ReservationDecision.Rejected;
import dev.sagaplatform.inventory.stock.domain.ReservationDecision.Reserved;
import dev.sagaplatform.inventory.stock.domain.ReservationRules;
import dev.sagaplatform.inventory.stock.domain.StockLevel;
import dev.sagaplatform.inventory.stock.persistence.Reservation;
import dev.sagaplatform.inventory.stock.persistence.ReservationLine;
import dev.sagaplatform.inventory.stock.persistence.ReservationStore;
import dev.sagaplatform.messaging.simulation.PlantedBug;
import dev.sagaplatform.messaging.simulation.PlantedBugs;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reserve and release, the same operations for both saga flows. Each runs in the caller's
 * transaction (the message handler's, with its inbox row and outbox rows) or in its own.
 */
@Service
public class StockReservations {

    private static final Logger log = LoggerFactory.getLogger(StockReservations.class);

    private final ProductStore products;
    private final ReservationStore reservations;
    private final StockMetrics metrics;
    private final Clock clock;
    private final PlantedBugs plantedBugs;

    public StockReservations(ProductStore products, ReservationStore reservations, StockMetrics metrics, Clock clock,
                             PlantedBugs plantedBugs) {
        this.products = products;
        this.reservations = reservations;
        this.metrics = metrics;
        this.clock = clock;
        this.plantedBugs = plantedBugs;
    }

    /**
     * Reserves every line of the order or none. Never throws for a business rejection: that would
     * roll back, be retried and end on the dead-letter topic, leaving the saga without an answer.
     * <p>
     * A concurrent first reserve of the same order (two different messages at once) loses on the
     * reservations primary key at commit and is retried by the consumer, which then finds the
     * stored outcome.
     *
     * @return the outcome; for an order seen before, the stored outcome, with no stock taken
     */
    @Transactional
    public ReservationDecision reserve(UUID orderId, List<RequestedLine> lines) {
        Optional<Reservation> existing = reservations.findById(orderId);
        if (existing.isPresent()) {
            Reservation stored = existing.get();
            log.info("order {} stock already {}: answering the stored outcome", orderId, stored.status());
            return ReservationRules.replay(stored.status(), toRequested(stored.lines()),
                    stored.reason(), stored.reasonDetail());
        }

        Map<String, Product> locked = lock(lines.stream().map(RequestedLine::sku).toList());
        List<StockLevel> levels = locked.values().stream().map(p -> new StockLevel(p.sku(), p.available())).toList();
        ReservationDecision decision = ReservationRules.decide(lines, levels);
        if (decision instanceof Reserved reserved) {
            reserved.lines().forEach(line -> locked.get(line.sku()).reserve(line.quantity()));
            reservations.save(Reservation.reserved(orderId, toStored(reserved.lines()), clock.instant()));
            metrics.reserved();
            int count = reserved.lines().size();
            log.info("order {} stock reserved ({} {})", orderId, count, count == 1 ? "line" : "lines");
        } else if (decision instanceof Rejected rejected) {
            reservations.save(Reservation.rejected(orderId, requestedForRecord(lines), rejected.reason(),
                    rejected.detail(), clock.instant()));
            metrics.rejected();
            log.info("order {} stock rejected: {}", orderId, rejected.detail());
        }
        return decision;
    }

    /**
     * Gives back what the order holds. The stored lines are the truth, not the lines a command
     * carries: only what was actually taken can be given back. Always succeeds.
     */
    @Transactional
    public ReleaseAction release(UUID orderId) {
        Optional<Reservation> existing = reservations.lockById(orderId);
        ReleaseAction action = ReservationRules.release(existing.map(Reservation::status));
        switch (action) {
            case RETURN_STOCK -> {
                Reservation reservation = existing.orElseThrow();
                Map<String, Product> locked = lock(reservation.lines().stream().map(ReservationLine::sku).toList());
                for (ReservationLine line : reservation.lines()) {
                    Product product = locked.get(line.sku());
                    if (product == null) {
                        // Only a product deleted under a reservation gets here; retrying or
                        // dead-lettering lets an operator see it instead of losing the units silently.
                        throw new IllegalStateException("order " + orderId + " holds " + line.quantity()
                                + " of " + line.sku() + ", which no longer exists");
                    }
                    product.release(line.quantity());
                    if (plantedBugs.has(PlantedBug.DOUBLE_RELEASE)) {
                        // Switched on only to prove the simulator notices units given back that no order held.
                        product.release(line.quantity());
                    }
                }
                reservation.markReleased(clock.instant());
                metrics.released();
                log.info("order {} stock released", orderId);
            }
            case RECORD_TOMBSTONE -> {
                reservations.save(Reservation.releasedBeforeReserve(orderId, clock.instant()));
                log.info("order {} stock released before any reservation: a late reserve will be rejected", orderId);
            }
            case NOTHING -> log.info("order {} stock release: nothing held (already {})",
                    orderId, existing.map(Reservation::status).orElseThrow());
        }
        return action;
    }

    @Transactional(readOnly = true)
    public Optional<Reservation> find(UUID orderId) {
        return reservations.findById(orderId);
    }

    private Map<String, Product> lock(Collection<String> skus) {
        List<String> sorted = skus.stream().distinct().sorted().toList();
        if (sorted.isEmpty()) {
            return Map.of();
        }
        return products.lockBySkus(sorted).stream()
                .collect(Collectors.toMap(Product::sku, Function.identity(), (a, b) -> a, TreeMap::new));
    }

    private static List<ReservationLine> toStored(List<RequestedLine> lines) {
        return lines.stream().map(l -> new ReservationLine(l.sku(), l.quantity())).toList();
    }

    private static List<RequestedLine> toRequested(List<ReservationLine> lines) {
        return lines.stream().map(l -> new RequestedLine(l.sku(), l.quantity())).toList();
    }

    /** What a rejected order asked for, one line per SKU, for operators; invalid quantities are left out. */
    private static List<ReservationLine> requestedForRecord(List<RequestedLine> lines) {
        Map<String, Long> bySku = new TreeMap<>();
        lines.forEach(l -> bySku.merge(l.sku(), (long) l.quantity(), Long::sum));
        List<ReservationLine> recorded = new ArrayList<>();
        bySku.forEach((sku, quantity) -> {
            if (quantity > 0 && quantity <= Integer.MAX_VALUE) {
                recorded.add(new ReservationLine(sku, quantity.intValue()));
            }
        });
        return recorded;
    }
}
