package dev.sagaplatform.order.remote;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
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
        @NotNull @DefaultValue("http://localhost:8082") URI baseUrl,
        @NotNull @DefaultValue("2s") Duration connectTimeout,
        @NotNull @DefaultValue("5s") Duration readTimeout,
        @NotNull @DefaultValue("10m") Duration customerCacheTtl) {

    HttpDependency dependency() {
        return new HttpDependency(baseUrl, connectTimeout, readTimeout);
    }
}
