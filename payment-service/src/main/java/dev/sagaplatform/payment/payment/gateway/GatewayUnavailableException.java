package dev.sagaplatform.payment.payment.gateway;

import dev.sagaplatform.messaging.consumer.TransientFailure;

/**
 * No usable answer from the gateway: whether it acted is unknown, so only idempotent calls may follow.
 * A {@link TransientFailure}: a message whose handler ends with it (the void of an unsettled charge, a
 * refund) is redelivered until the gateway is back rather than dead-lettered, so no order is left undecided.
 */
public class GatewayUnavailableException extends RuntimeException implements TransientFailure {

    public GatewayUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
