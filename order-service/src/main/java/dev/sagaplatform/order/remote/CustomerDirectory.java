package dev.sagaplatform.order.remote;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sagaplatform.order.orders.CustomerCheck;
import java.time.Duration;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Whether a customer exists, asked of payment-service at placement (credit is the saga's business),
 * through the {@code payment-service} retry, circuit breaker, time limiter and bulkhead.
 *
 * <p>A "yes" is remembered for {@code payment.customer-cache-ttl}: customers are never deleted, and the
 * look-up was an HTTP round trip through two services for every order. A "no" is never remembered, so
 * a customer created a moment ago can order at once.
 */
public class CustomerDirectory implements CustomerCheck {

    public static final String NAME = "payment-service";

    private final ResilientDependency resilience;
    private final Cache<String, Boolean> known;

    CustomerDirectory(ResilientDependency resilience) {
        this(resilience, Duration.ZERO);
    }

    CustomerDirectory(ResilientDependency resilience, Duration cacheTtl) {
        this.resilience = resilience;
        this.known = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(cacheTtl.isZero() ? 0 : 100_000).build();
    }

    /**
     * @throws DependencyUnavailableException if payment-service is down, slow or answers with an error
     */
    @Override
    public boolean exists(String customerId) {
        if (known.getIfPresent(customerId) != null) {
            return true;
        }
        // A read: safe to retry. "No such customer" is an answer, not a failure of the directory.
        boolean exists = resilience.call(rest -> lookUp(rest, customerId));
        if (exists) {
            known.put(customerId, Boolean.TRUE);
        }
        return exists;
    }

    private boolean lookUp(RestClient rest, String customerId) {
        try {
            return rest.get().uri("/customers/{id}", customerId).exchange((request, response) -> {
                HttpStatusCode status = response.getStatusCode();
                if (status.is2xxSuccessful()) {
                    return true;
                }
                // 400 as well as 404: an id the directory refuses to look up is not a customer either.
                if (status.value() == 404 || status.value() == 400) {
                    return false;
                }
                throw new DependencyUnavailableException(NAME, "customer lookup answered " + status.value(), null);
            });
        } catch (RestClientException e) {
            throw new DependencyUnavailableException(NAME, "customer lookup failed: " + e.getMessage(), e);
        }
    }
}
