package dev.sagaplatform.payment.payment.gateway;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code payment.gateway.*}: where the payment gateway is and how payment-service talks to it.
 *
 * @param baseUrl        {@code PAYMENT_GATEWAY_URL}
 * @param apiKey         the merchant key the gateway requires on charges and refunds, {@code PAYMENT_GATEWAY_API_KEY}; required
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout    the backstop behind the time limiter (resilience4j.timelimiter): it frees the bulkhead thread of
 *                       an attempt the time limiter already cut, so it must stay above the limit
 * @param returns        refunds and voids, sent after the decision that recorded them ({@code GatewayReturns})
 * @param testing        test-only switches that break a guarantee on purpose, to prove a test notices
 */
@ConfigurationProperties("payment.gateway")
public record GatewayProperties(URI baseUrl, String apiKey, @DefaultValue("1s") Duration connectTimeout,
                                @DefaultValue("3s") Duration readTimeout, @DefaultValue Returns returns,
                                @DefaultValue Testing testing) {

    public GatewayProperties {
        if (baseUrl == null || !baseUrl.isAbsolute()) {
            throw new IllegalArgumentException("payment.gateway.base-url (PAYMENT_GATEWAY_URL) must be an absolute URL, was " + baseUrl);
        }
        if (apiKey == null || apiKey.isBlank()) {
            // Without it every charge would be refused as unauthorized: say so at start-up, not per payment.
            throw new IllegalArgumentException("payment.gateway.api-key is not set: set PAYMENT_GATEWAY_API_KEY to the gateway's"
                    + " merchant key (./platform up generates one)");
        }
        positive("connect-timeout", connectTimeout);
        positive("read-timeout", readTimeout);
    }

    /**
     * @param pollInterval         how often due returns are looked for (read by {@code GatewayReturns}' schedule)
     * @param initialBackoff       first wait after the gateway was unavailable; doubles per failure
     * @param maxBackoff           the longest wait between two attempts
     * @param refusedRetryInterval how often a refused (4xx) return is tried again, until an operator fixed its cause
     * @param batchSize            returns sent per poll
     */
    public record Returns(@DefaultValue("500ms") Duration pollInterval, @DefaultValue("1s") Duration initialBackoff, @DefaultValue("30s") Duration maxBackoff,
                          @DefaultValue("5m") Duration refusedRetryInterval, @DefaultValue("20") int batchSize) {

        public Returns {
            positive("returns.poll-interval", pollInterval);
            positive("returns.initial-backoff", initialBackoff);
            positive("returns.max-backoff", maxBackoff);
            positive("returns.refused-retry-interval", refusedRetryInterval);
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("payment.gateway.returns.max-backoff must not be below initial-backoff");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("payment.gateway.returns.batch-size must be at least 1, was " + batchSize);
            }
        }
    }

    /** @param freshChargeKeyPerAttempt a new gateway idempotency key per attempt, so that a retry can charge twice */
    public record Testing(@DefaultValue("false") boolean freshChargeKeyPerAttempt) {
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("payment.gateway." + name + " must be positive, was " + value);
        }
    }
}
