package dev.sagaplatform.order.remote;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sagaplatform.order.orders.PriceList;
import java.time.Duration;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Prices and SKU existence from inventory-service, asked once at placement. The only call this
 * service makes to inventory-service; it goes through the {@code inventory-service} retry, circuit
 * breaker, time limiter and bulkhead ({@link ResilientDependency}).
 *
 * <p>A price is reused for {@code inventory.price-cache-ttl} (2 s by default): under load most orders
 * name SKUs that were priced a moment ago, and each look-up was an HTTP round trip and a query in
 * another service. So a new price applies to orders placed up to that long after the change, as in a
 * shop whose catalogue page is a little behind. Only SKUs missing from the cache are asked for, and an
 * unknown SKU is never remembered.
 */
public class InventoryClient implements PriceList {

    /** Also the name of its circuit breaker in metrics (DESIGN.md). */
    public static final String NAME = "inventory-service";

    /** inventory-service's page size limit; placement asks for at most 100 SKUs, so one page always holds them. */
    private static final int PAGE_SIZE = 500;

    private final ResilientDependency resilience;
    private final Cache<String, BigDecimal> prices;

    InventoryClient(ResilientDependency resilience) {
        this(resilience, Duration.ZERO);
    }

    InventoryClient(ResilientDependency resilience, Duration priceCacheTtl) {
        this.resilience = resilience;
        this.prices = Caffeine.newBuilder().expireAfterWrite(priceCacheTtl).maximumSize(priceCacheTtl.isZero() ? 0 : 100_000).build();
    }

    /**
     * @return the catalogue price of each requested SKU the inventory knows; unknown SKUs are absent
     * @throws DependencyUnavailableException if inventory-service is down, slow or answers nonsense
     */
    @Override
    public Map<String, BigDecimal> prices(List<String> skus) {
        if (skus.size() > PAGE_SIZE) {
            throw new IllegalArgumentException("at most " + PAGE_SIZE + " SKUs per lookup, got " + skus.size());
        }
        Map<String, BigDecimal> known = new LinkedHashMap<>(prices.getAllPresent(skus));
        List<String> missing = skus.stream().filter(sku -> !known.containsKey(sku)).toList();
        if (missing.isEmpty()) {
            return known;
        }
        // A read: safe to retry.
        Map<String, BigDecimal> looked = resilience.call(rest -> lookUp(rest, missing));
        prices.putAll(looked);
        known.putAll(looked);
        return known;
    }

    private Map<String, BigDecimal> lookUp(RestClient rest, List<String> skus) {
        ProductPage page;
        try {
            page = rest.get().uri(uri -> {
                        // Template variables are encoded strictly, so a SKU with '&' or '+' stays one value.
                        Map<String, Object> values = new HashMap<>();
                        uri.path("/products");
                        for (int i = 0; i < skus.size(); i++) {
                            uri.queryParam("sku", "{sku" + i + "}");
                            values.put("sku" + i, skus.get(i));
                        }
                        return uri.queryParam("size", PAGE_SIZE).build(values);
                    })
                    .retrieve()
                    .body(ProductPage.class);
        } catch (RestClientException e) {
            throw new DependencyUnavailableException(NAME, "product lookup failed: " + e.getMessage(), e);
        }
        if (page == null || page.content() == null) {
            throw new DependencyUnavailableException(NAME, "product lookup answered without content", null);
        }
        Set<String> requested = Set.copyOf(skus);
        Map<String, BigDecimal> prices = new LinkedHashMap<>();
        for (Product product : page.content()) {
            if (product == null || !requested.contains(product.sku())) {
                continue;
            }
            if (product.price() == null || product.price().signum() < 0) {
                throw new DependencyUnavailableException(NAME, "product " + product.sku() + " has no valid price: "
                        + product.price(), null);
            }
            prices.put(product.sku(), product.price());
        }
        return prices;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ProductPage(List<Product> content) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Product(String sku, BigDecimal price) {
    }
}
