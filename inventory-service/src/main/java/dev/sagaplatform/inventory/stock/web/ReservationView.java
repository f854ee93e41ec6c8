package dev.sagaplatform.inventory.stock.web;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.inventory.stock.domain.ReservationStatus;
import dev.sagaplatform.inventory.stock.persistence.Reservation;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order's reservation for operators and tests; {@code reason} is set only when REJECTED. */
public record ReservationView(UUID orderId, ReservationStatus status, RejectionReason reason, String reasonDetail,
                              List<Line> lines, Instant createdAt, Instant updatedAt) {

    public record Line(String sku, int quantity) {
    }

    static ReservationView of(Reservation reservation) {
        return new ReservationView(reservation.orderId(), reservation.status(), reservation.reason(),
                reservation.reasonDetail(),
                reservation.lines().stream().map(l -> new Line(l.sku(), l.quantity())).toList(),
                reservation.createdAt(), reservation.updatedAt());
    }
}
