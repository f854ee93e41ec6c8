package dev.sagaplatform.payment.payment.gateway;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * The only way out to the payment gateway. Charges and refunds carry idempotency keys derived from
 * the order id, so repeating a call (a retry, a redelivered message) can never move money twice.
 * Every call goes through the {@code payment-gateway} retry, circuit breaker, time limiter and
 * bulkhead ({@link GatewayResilience}).
 */
public class PaymentGatewayClient {

    private static final String CAPTURED = "CAPTURED";

    private final RestClient http;
    private final GatewayResilience resilience;
    private final boolean brokenChargeKeys;

    public PaymentGatewayClient(RestClient http, GatewayResilience resilience) {
        this(http, resilience, false);
    }

    /**
     * @param brokenChargeKeys a deliberately broken build for chaos tests only
     *                         ({@code payment.gateway.testing.fresh-charge-key-per-attempt}): every attempt of a charge
     *                         gets a new idempotency key, so a retry after a timeout charges again. It exists to prove
     *                         that the chaos experiments catch exactly this bug; never set it anywhere else.
     */
    public PaymentGatewayClient(RestClient http, GatewayResilience resilience, boolean brokenChargeKeys) {
        this.http = http;
        this.resilience = resilience;
        this.brokenChargeKeys = brokenChargeKeys;
    }

    public static String chargeKey(UUID orderId) {
        return "charge-" + orderId;
    }

    public static String refundKey(UUID orderId) {
        return "refund-" + orderId;
    }

    /**
     * @throws GatewayRefusedException    the gateway answered and said no (4xx), or the key's charge was
     *                                     already refunded: retrying will not help
     * @throws GatewayUnavailableException no answer, a timeout, a 5xx, an open breaker or a full bulkhead:
     *                                     the charge may or may not exist
     */
    public UUID charge(UUID orderId, String customerId, BigDecimal amount) {
        return resilience.call(() -> {
            String key = brokenChargeKeys ? chargeKey(orderId) + "-" + UUID.randomUUID() : chargeKey(orderId);
            Map<String, Object> body = Map.of("idempotencyKey", key, "orderId", orderId.toString(),
                    "customerId", customerId, "amount", amount);
            ChargeResponse response = call(() -> http.post().uri("/charges").body(body).retrieve().body(ChargeResponse.class));
            if (response == null || response.chargeId() == null) {
                throw new GatewayUnavailableException("charge for order " + orderId + " returned no charge id", null);
            }
            if (response.status() != null && !CAPTURED.equals(response.status())) {
                // A replay of a charge that an earlier compensation already refunded (its answer lost on the
                // way back, say): the money went back, so this order must not count it as paid.
                throw new GatewayRefusedException("charge for order " + orderId + " is " + response.status()
                        + " at the gateway", null);
            }
            return response.chargeId();
        });
    }

    /**
     * Refunds this order's charge, or voids its key if no charge exists yet, so that a charge still in
     * flight is refused when it arrives.
     */
    public void refundOrVoid(UUID orderId, BigDecimal amount) {
        Map<String, Object> body = Map.of("idempotencyKey", refundKey(orderId), "chargeIdempotencyKey", chargeKey(orderId),
                "amount", amount);
        resilience.call(() -> call(() -> http.post().uri("/refunds").body(body).retrieve().toBodilessEntity()));
    }

    private static <T> T call(java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (RestClientResponseException e) {
            HttpStatusCode status = e.getStatusCode();
            if (status.is4xxClientError() && status.value() != 408 && status.value() != 429) {
                throw new GatewayRefusedException("gateway refused with " + status.value() + ": "
                        + e.getResponseBodyAsString(), e);
            }
            throw new GatewayUnavailableException("gateway answered " + status.value(), e);
        } catch (RestClientException e) {
            throw new GatewayUnavailableException("gateway unreachable: " + e.getMessage(), e);
        }
    }

    record ChargeResponse(UUID chargeId, String status) {
    }
}
