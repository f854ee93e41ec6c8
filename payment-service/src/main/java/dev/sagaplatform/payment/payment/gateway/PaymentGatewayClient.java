package dev.sagaplatform.payment.payment.gateway;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * The only way out to the payment gateway: the HTTP adapter of {@link PaymentGateway}, and how refunds and voids
 * are sent. Charges and refunds carry the idempotency keys of {@link ChargeKeys}, so repeating a call (a retry, a
 * redelivered message) can never move money twice. Every call goes through the {@code payment-gateway} retry,
 * circuit breaker, time limiter and bulkhead ({@link GatewayResilience}).
 */
public class PaymentGatewayClient implements PaymentGateway {

    private final RestClient http;
    private final GatewayResilience resilience;

    public PaymentGatewayClient(RestClient http, GatewayResilience resilience) {
        this.http = http;
        this.resilience = resilience;
    }

    /**
     * @throws GatewayRefusedException    the gateway answered and said no (4xx), or the key's charge was
     *                                     already refunded: retrying will not help
     * @throws GatewayUnavailableException no answer, a timeout, a 5xx, an open breaker or a full bulkhead:
     *                                     the charge may or may not exist
     */
    @Override
    public UUID charge(Supplier<String> keyPerAttempt, UUID orderId, String customerId, BigDecimal amount) {
        // The retry runs this lambda once per attempt, so each attempt asks for its key.
        return resilience.call(() -> {
            Map<String, Object> body = Map.of("idempotencyKey", keyPerAttempt.get(), "orderId", orderId.toString(),
                    "customerId", customerId, "amount", amount);
            ChargeResponse response = call(() -> http.post().uri("/charges").body(body).retrieve().body(ChargeResponse.class));
            return response == null ? ChargeAnswers.paidCharge(orderId, null, null)
                    : ChargeAnswers.paidCharge(orderId, response.chargeId(), response.status());
        });
    }

    /**
     * Refunds this order's charge, or voids its key if no charge exists yet, so that a charge still in
     * flight is refused when it arrives.
     */
    public void refundOrVoid(UUID orderId, BigDecimal amount) {
        Map<String, Object> body = Map.of("idempotencyKey", ChargeKeys.refund(orderId), "chargeIdempotencyKey", ChargeKeys.charge(orderId),
                "amount", amount);
        resilience.call(() -> call(() -> http.post().uri("/refunds").body(body).retrieve().toBodilessEntity()));
    }

    private static <T> T call(Supplier<T> request) {
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
