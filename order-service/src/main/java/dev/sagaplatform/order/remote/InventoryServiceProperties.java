package dev.sagaplatform.order.remote;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
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
        // One URL, or several comma-separated for instances order-service balances over itself (ResilientDependency).
        @NotNull @DefaultValue("http://localhost:8083") List<String> baseUrl,
        @NotNull @DefaultValue("2s") Duration connectTimeout,
        @NotNull @DefaultValue("5s") Duration readTimeout,
        @NotNull @DefaultValue("2s") Duration priceCacheTtl) {

    private static final String BASE_URL = "inventory.base-url (INVENTORY_BASE_URL)";

    public InventoryServiceProperties {
        HttpDependency.baseUrls(BASE_URL, baseUrl);
    }

    HttpDependency dependency() {
        return new HttpDependency(HttpDependency.baseUrls(BASE_URL, baseUrl), connectTimeout, readTimeout);
    }
}
