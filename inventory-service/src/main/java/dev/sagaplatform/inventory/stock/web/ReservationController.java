package dev.sagaplatform.inventory.stock.web;

import dev.sagaplatform.inventory.stock.StockReservations;
import dev.sagaplatform.web.problem.ProblemType;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Read-only view of what an order holds, to check a saga's effect on stock. */
@RestController
class ReservationController {

    static final ProblemType UNKNOWN_RESERVATION = ProblemType.of("unknown-reservation", HttpStatus.NOT_FOUND, "Unknown reservation");

    private final StockReservations stock;

    ReservationController(StockReservations stock) {
        this.stock = stock;
    }

    @ApiResponse(responseCode = "200", description = "the reservation", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "unknown-reservation")
    @GetMapping("/reservations/{orderId}")
    public ReservationView get(@PathVariable UUID orderId) {
        return stock.find(orderId).map(ReservationView::of)
                .orElseThrow(() -> UNKNOWN_RESERVATION.exception("order " + orderId + " has no reservation"));
    }
}
