package dev.sagaplatform.inventory.stock.domain;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.inventory.stock.domain.ReservationDecision.Rejected;
import dev.sagaplatform.inventory.stock.domain.ReservationDecision.Reserved;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Whether an order gets its stock, and what a repeated reserve or a release means for it.
 * Plain Java so that both saga flows, the tests and a future simulator run exactly the same rules.
 */
public final class ReservationRules {

    private ReservationRules() {
    }

    /**
     * All or nothing: a partly reserved order would hold stock it cannot use until a compensation
     * gives it back, and in choreography nobody would ask for that.
     *
     * @param lines the order's lines; the same SKU may appear on several lines
     * @param stock the current level of every known SKU among them (unknown SKUs are simply absent)
     */
    public static ReservationDecision decide(List<RequestedLine> lines, Collection<StockLevel> stock) {
        Objects.requireNonNull(lines, "lines must not be null");
        Objects.requireNonNull(stock, "stock must not be null");
        Map<String, Integer> available = new HashMap<>();
        stock.forEach(level -> available.put(level.sku(), level.available()));

        // Insertion order, so that "the first short SKU" is the first one the customer ordered.
        Map<String, Long> requested = new LinkedHashMap<>();
        for (RequestedLine line : lines) {
            if (line.quantity() <= 0) {
                // A malformed line must still end the saga: throwing would only dead-letter the message.
                return new Rejected(RejectionReason.OUT_OF_STOCK,
                        "invalid quantity " + line.quantity() + " for sku " + line.sku());
            }
            requested.merge(line.sku(), (long) line.quantity(), Long::sum);
        }

        for (Map.Entry<String, Long> entry : requested.entrySet()) {
            String sku = entry.getKey();
            Integer units = available.get(sku);
            if (units == null) {
                return new Rejected(RejectionReason.OUT_OF_STOCK, "unknown sku " + sku);
            }
            long wanted = entry.getValue();
            if (wanted > units) {
                return new Rejected(RejectionReason.OUT_OF_STOCK, sku + " short by " + (wanted - units)
                        + " (requested " + wanted + ", available " + units + ")");
            }
        }

        List<RequestedLine> reserved = new ArrayList<>();
        new TreeMap<>(requested).forEach((sku, quantity) -> reserved.add(new RequestedLine(sku, quantity.intValue())));
        return new Reserved(reserved);
    }

    /**
     * The answer for an order that already has a reservation: the stored outcome, never a second
     * reservation. A re-sent command or a duplicated event with a new id must not take stock twice.
     *
     * @param storedLines the reserved lines (used when {@code status} is RESERVED)
     * @param reason      the stored rejection reason (used when {@code status} is REJECTED)
     * @param detail      the stored rejection detail (used when {@code status} is REJECTED)
     */
    public static ReservationDecision replay(ReservationStatus status, List<RequestedLine> storedLines,
                                             RejectionReason reason, String detail) {
        Objects.requireNonNull(status, "status must not be null");
        return switch (status) {
            case RESERVED -> new Reserved(storedLines);
            case REJECTED -> new Rejected(reason != null ? reason : RejectionReason.OUT_OF_STOCK,
                    detail != null ? detail : "rejected earlier");
            // The saga already compensated this order; reserving now would leak the stock for good.
            case RELEASED -> new Rejected(RejectionReason.OUT_OF_STOCK, "stock of this order was already released");
        };
    }

    /** What to do for a release, given the order's reservation status, if any. */
    public static ReleaseAction release(Optional<ReservationStatus> current) {
        Objects.requireNonNull(current, "current must not be null");
        if (current.isEmpty()) {
            return ReleaseAction.RECORD_TOMBSTONE;
        }
        return current.get() == ReservationStatus.RESERVED ? ReleaseAction.RETURN_STOCK : ReleaseAction.NOTHING;
    }
}
