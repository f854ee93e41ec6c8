package dev.sagaplatform.simulator.check;

import dev.sagaplatform.inventory.catalog.persistence.Product;
import dev.sagaplatform.inventory.stock.domain.ReservationStatus;
import dev.sagaplatform.inventory.stock.persistence.Reservation;
import dev.sagaplatform.inventory.stock.persistence.ReservationLine;
import dev.sagaplatform.simulator.adapters.InMemoryStock;
import dev.sagaplatform.simulator.world.Workload;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The conservation laws that hold in every committed state, not only at quiescence, checked after every simulated
 * event: each service's own books balance at every instant, whatever is still in flight between services. (The
 * cross-service invariants of DESIGN.md hold only once every saga has ended; {@link QuiescentInvariants} checks those.)
 */
public final class LocalInvariants {

    private LocalInvariants() {
    }

    /** Stock: per SKU, reserved = Σ lines of RESERVED reservations, nothing negative, on hand as seeded. */
    public static String stock(InMemoryStock stock, Map<String, Integer> seededOnHand) {
        Map<String, Long> held = new LinkedHashMap<>();
        for (Reservation reservation : stock.committedReservations()) {
            if (reservation.status() == ReservationStatus.RESERVED) {
                for (ReservationLine line : reservation.lines()) {
                    held.merge(line.sku(), (long) line.quantity(), Long::sum);
                }
            }
        }
        for (Product product : stock.committedProducts()) {
            long expected = held.getOrDefault(product.sku(), 0L);
            if (product.reserved() != expected || product.available() < 0 || product.reserved() < 0
                    || product.available() + product.reserved() != seededOnHand.get(product.sku())) {
                return "stock not conserved: " + product.sku() + " has available " + product.available() + ", reserved "
                        + product.reserved() + " (seeded " + seededOnHand.get(product.sku()) + " on hand), but RESERVED "
                        + "reservations hold " + expected;
            }
        }
        return null;
    }

    public static Map<String, Integer> onHand(Workload workload) {
        Map<String, Integer> onHand = new LinkedHashMap<>();
        workload.products().forEach(p -> onHand.put(p.sku(), p.stock()));
        return onHand;
    }
}
