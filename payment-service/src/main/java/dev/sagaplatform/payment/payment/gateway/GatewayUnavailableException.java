package dev.sagaplatform.payment.payment.gateway;

/** No usable answer from the gateway: whether it acted is unknown, so only idempotent calls may follow. */
public class GatewayUnavailableException extends RuntimeException {

    public GatewayUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
