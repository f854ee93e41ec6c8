package dev.sagaplatform.inventory.stock.web;

import dev.sagaplatform.inventory.stock.StockReservations;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Read-only view of what an order holds, to check a saga's effect on stock. */
@RestController
class ReservationController {

    static final URI UNKNOWN_RESERVATION = URI.create("https://saga-platform.dev/problems/unknown-reservation");

    private final StockReservations stock;

    ReservationController(StockReservations stock) {
        this.stock = stock;
    }

    @GetMapping("/reservations/{orderId}")
    public ReservationView get(@PathVariable UUID orderId) {
        return stock.find(orderId).map(ReservationView::of).orElseThrow(() -> new UnknownReservationException(orderId));
    }

    @ExceptionHandler
    ProblemDetail unknownReservation(UnknownReservationException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "order " + e.orderId + " has no reservation");
        problem.setType(UNKNOWN_RESERVATION);
        problem.setTitle("Unknown reservation");
        return problem;
    }

    static final class UnknownReservationException extends RuntimeException {

        private final UUID orderId;

        UnknownReservationException(UUID orderId) {
            super("no reservation for order " + orderId, null, false, false);
            this.orderId = orderId;
        }
    }
}
