package dev.sagaplatform.order.idempotency;

import java.util.Objects;
import java.util.UUID;

/** The response of a completed request, replayed byte for byte for the same key. */
public record StoredResponse(int status, String body, UUID orderId) {

    public StoredResponse {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(orderId, "orderId");
    }
}
