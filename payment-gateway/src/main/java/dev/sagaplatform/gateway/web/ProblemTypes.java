package dev.sagaplatform.gateway.web;

import java.net.URI;

/** Stable problem {@code type} URIs; clients branch on these, never on titles or details. */
public final class ProblemTypes {

    private static final String BASE = "https://saga-platform.dev/problems/";

    public static final URI INVALID_REQUEST = URI.create(BASE + "invalid-request");
    public static final URI IDEMPOTENCY_KEY_REUSED = URI.create(BASE + "idempotency-key-reused");
    public static final URI CHARGE_VOIDED = URI.create(BASE + "charge-voided");
    public static final URI REFUND_EXCEEDS_CHARGE = URI.create(BASE + "refund-exceeds-charge");
    public static final URI REFUND_REFUSED = URI.create(BASE + "refund-refused");
    public static final URI CHARGE_NOT_FOUND = URI.create(BASE + "charge-not-found");
    public static final URI NOT_FOUND = URI.create(BASE + "not-found");
    public static final URI METHOD_NOT_ALLOWED = URI.create(BASE + "method-not-allowed");
    public static final URI NOT_ACCEPTABLE = URI.create(BASE + "not-acceptable");
    public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create(BASE + "unsupported-media-type");
    public static final URI GATEWAY_UNAVAILABLE = URI.create(BASE + "gateway-unavailable");
    public static final URI GATEWAY_TIMEOUT = URI.create(BASE + "gateway-timeout");
    public static final URI INTERNAL_ERROR = URI.create(BASE + "internal-error");
    public static final URI UNAUTHORIZED = URI.create(BASE + "unauthorized");

    private ProblemTypes() {
    }
}
