package dev.sagaplatform.order.remote;

import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Whether a customer exists, asked of payment-service at placement (credit is the saga's business),
 * through the {@code payment-service} retry, circuit breaker, time limiter and bulkhead.
 */
public class CustomerDirectory {

    public static final String NAME = "payment-service";

    private final RestClient rest;
    private final ResilientDependency resilience;

    CustomerDirectory(RestClient.Builder builder, HttpDependency dependency, ResilientDependency resilience) {
        this.rest = dependency.client(builder);
        this.resilience = resilience;
    }

    /**
     * @throws DependencyUnavailableException if payment-service is down, slow or answers with an error
     */
    public boolean exists(String customerId) {
        // A read: safe to retry. "No such customer" is an answer, not a failure of the directory.
        return resilience.call(() -> lookUp(customerId));
    }

    private boolean lookUp(String customerId) {
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
