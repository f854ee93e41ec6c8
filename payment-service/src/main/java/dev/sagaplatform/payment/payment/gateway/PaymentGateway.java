package dev.sagaplatform.payment.payment.gateway;

import java.math.BigDecimal;
import java.util.UUID;
import java.util.function.Supplier;

/** Charges at the payment gateway, as {@code Payments} needs it; {@link PaymentGatewayClient} is the HTTP adapter. */
public interface PaymentGateway {

    /**
     * Charges the order's customer, retrying within the gateway's resilience policies while it is unavailable.
     *
     * @param keyPerAttempt the idempotency key of each attempt, asked once per attempt sent (see
     *                      {@link ChargeKeys#perAttempt}), so a retry carries the key the rule gives it
     * @return the gateway's charge id; a replay of a key returns the charge stored under it
     * @throws GatewayRefusedException    the gateway answered and said no (the key was voided, reused with another
     *                                    body, or its charge was already refunded): retrying will not help
     * @throws GatewayUnavailableException no usable answer from any attempt, or none was made: the charge may or
     *                                     may not exist
     */
    UUID charge(Supplier<String> keyPerAttempt, UUID orderId, String customerId, BigDecimal amount);
}
