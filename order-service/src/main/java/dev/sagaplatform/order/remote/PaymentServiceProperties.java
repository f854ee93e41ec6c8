package dev.sagaplatform.order.remote;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code payment.*}: where payment-service (the customer directory) is, and how long a customer it
 * confirmed is taken as existing ({@code customer-cache-ttl}; customers are never deleted, so only the
 * memory it takes limits it; {@code 0s} asks for every order).
 */
@Validated
@ConfigurationProperties("payment")
public record PaymentServiceProperties(
        // One URL, or several comma-separated for instances order-service balances over itself (ResilientDependency).
        @NotNull @DefaultValue("http://localhost:8082") List<String> baseUrl,
        @NotNull @DefaultValue("2s") Duration connectTimeout,
        @NotNull @DefaultValue("5s") Duration readTimeout,
        @NotNull @DefaultValue("10m") Duration customerCacheTtl) {

    private static final String BASE_URL = "payment.base-url (PAYMENT_BASE_URL)";

    public PaymentServiceProperties {
        HttpDependency.baseUrls(BASE_URL, baseUrl);
    }

    HttpDependency dependency() {
        return new HttpDependency(HttpDependency.baseUrls(BASE_URL, baseUrl), connectTimeout, readTimeout);
    }
}
