package dev.sagaplatform.order.orders.web;

import dev.sagaplatform.web.problem.ProblemType;
import org.springframework.http.HttpStatus;

/** The order API's own problem types, besides the platform's ({@code ProblemTypes}). Clients may switch on each. */
final class OrderProblems {

    static final ProblemType MISSING_IDEMPOTENCY_KEY =
            ProblemType.of("missing-idempotency-key", HttpStatus.BAD_REQUEST, "Idempotency-Key header is required");
    static final ProblemType INVALID_IDEMPOTENCY_KEY =
            ProblemType.of("invalid-idempotency-key", HttpStatus.BAD_REQUEST, "Idempotency-Key header is invalid");
    static final ProblemType DUPLICATE_SKU =
            ProblemType.of("duplicate-sku", HttpStatus.BAD_REQUEST, "A SKU is listed on more than one line");
    static final ProblemType ORDER_NOT_FOUND = ProblemType.of("order-not-found", HttpStatus.NOT_FOUND, "Order not found");
    static final ProblemType REQUEST_IN_PROGRESS = ProblemType.of("request-in-progress", HttpStatus.CONFLICT,
            "A request with this Idempotency-Key is still being processed");
    static final ProblemType UNKNOWN_CUSTOMER = ProblemType.of("unknown-customer", HttpStatus.UNPROCESSABLE_CONTENT, "Unknown customer");
    static final ProblemType UNKNOWN_SKU = ProblemType.of("unknown-sku", HttpStatus.UNPROCESSABLE_CONTENT, "Unknown SKU");
    static final ProblemType IDEMPOTENCY_KEY_REUSED = ProblemType.of("idempotency-key-reused", HttpStatus.UNPROCESSABLE_CONTENT,
            "Idempotency-Key was already used for a different request");
    static final ProblemType AT_CAPACITY = ProblemType.of("at-capacity", HttpStatus.SERVICE_UNAVAILABLE,
            "The platform has as many orders in progress as it can finish in time");

    private OrderProblems() {
    }
}
