package dev.sagaplatform.order.remote;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code inventory.*}: where inventory-service is, and how long a price it gave may be reused for a
 * new order ({@code price-cache-ttl}; {@code 0s} asks for every order).
 */
@Validated
@ConfigurationProperties("inventory")
public record InventoryServiceProperties(
        @NotNull @DefaultValue("http://localhost:8083") URI baseUrl,
        @NotNull @DefaultValue("2s") Duration connectTimeout,
        @NotNull @DefaultValue("5s") Duration readTimeout,
        @NotNull @DefaultValue("2s") Duration priceCacheTtl) {

    HttpDependency dependency() {
        return new HttpDependency(baseUrl, connectTimeout, readTimeout);
    }
}
