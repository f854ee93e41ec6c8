package dev.sagaplatform.order.orders.web;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * Every error this API answers, each with a stable {@code type} URI that clients may switch on.
 * Titles are fixed per type; the {@code detail} says what exactly was wrong with this request.
 */
public enum ProblemType {

    MISSING_IDEMPOTENCY_KEY("missing-idempotency-key", HttpStatus.BAD_REQUEST, "Idempotency-Key header is required"),
    INVALID_IDEMPOTENCY_KEY("invalid-idempotency-key", HttpStatus.BAD_REQUEST, "Idempotency-Key header is invalid"),
    MALFORMED_JSON("malformed-json", HttpStatus.BAD_REQUEST, "Request body is not a JSON object"),
    UNKNOWN_FIELD("unknown-field", HttpStatus.BAD_REQUEST, "Request body has an unknown field"),
    INVALID_FIELD("invalid-field", HttpStatus.BAD_REQUEST, "Request body has invalid fields"),
    DUPLICATE_SKU("duplicate-sku", HttpStatus.BAD_REQUEST, "A SKU is listed on more than one line"),
    INVALID_PARAMETER("invalid-parameter", HttpStatus.BAD_REQUEST, "Invalid request parameter"),
    NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "No such resource"),
    ORDER_NOT_FOUND("order-not-found", HttpStatus.NOT_FOUND, "Order not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "No acceptable representation"),
    REQUEST_IN_PROGRESS("request-in-progress", HttpStatus.CONFLICT,
            "A request with this Idempotency-Key is still being processed"),
    PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.CONTENT_TOO_LARGE, "Request body is too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content type not supported"),
    UNKNOWN_CUSTOMER("unknown-customer", HttpStatus.UNPROCESSABLE_CONTENT, "Unknown customer"),
    UNKNOWN_SKU("unknown-sku", HttpStatus.UNPROCESSABLE_CONTENT, "Unknown SKU"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", HttpStatus.UNPROCESSABLE_CONTENT,
            "Idempotency-Key was already used for a different request"),
    INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"),
    DEPENDENCY_UNAVAILABLE("dependency-unavailable", HttpStatus.SERVICE_UNAVAILABLE,
            "A service needed to place the order is unavailable"),
    AT_CAPACITY("at-capacity", HttpStatus.SERVICE_UNAVAILABLE,
            "The platform has as many orders in progress as it can finish in time"),
    SERVICE_UNAVAILABLE("service-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable");

    public static final String BASE = "https://saga-platform.dev/problems/";

    private final URI type;
    private final HttpStatus status;
    private final String title;

    ProblemType(String name, HttpStatus status, String title) {
        this.type = URI.create(BASE + name);
        this.status = status;
        this.title = title;
    }

    public URI type() {
        return type;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }
}
