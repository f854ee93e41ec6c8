package dev.sagaplatform.order.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagaplatform.order.support.UpstreamStub;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/**
 * The two outbound clients over real HTTP: status codes, timeouts and refused connections, with
 * resilience policies that stay out of the way (one attempt, a time limit above the read timeout);
 * the policies themselves are proven by {@code ResilienceTest}.
 */
class RemoteClientsTest {

    private static UpstreamStub upstream;
    private static InventoryClient inventory;
    private static CustomerDirectory customers;

    @BeforeAll
    static void start() {
        upstream = UpstreamStub.start()
                .product("SKU-1", "10.00")
                .product("a&b+c d/é", "2.50")
                .customer("customer-1")
                .customer("with/slash");
        HttpDependency dependency = new HttpDependency(URI.create(upstream.baseUrl()), Duration.ofSeconds(1),
                Duration.ofSeconds(1));
        inventory = new InventoryClient(passThrough(InventoryClient.NAME, dependency));
        customers = new CustomerDirectory(passThrough(CustomerDirectory.NAME, dependency));
        // The read timeout also bounds reading the body; a cold JVM's first JSON read must not count against it.
        inventory.prices(List.of("SKU-1"));
    }

    @AfterEach
    void heal() {
        upstream.heal();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @Test
    void reusesAPriceWithinItsTimeToLiveAndAsksOnlyForTheSkusItDoesNotHave() {
        HttpDependency dependency = new HttpDependency(URI.create(upstream.baseUrl()), Duration.ofSeconds(1), Duration.ofSeconds(1));
        InventoryClient caching = new InventoryClient(passThrough(InventoryClient.NAME, dependency),
                Duration.ofMinutes(1));
        caching.prices(List.of("SKU-1"));
        int queries = upstream.productQueries().size();

        assertThat(caching.prices(List.of("SKU-1"))).containsEntry("SKU-1", new BigDecimal("10.00"));
        assertThat(upstream.productQueries()).as("a cached price is not asked for again").hasSize(queries);

        assertThat(caching.prices(List.of("SKU-1", "a&b+c d/é", "NOPE"))).containsOnlyKeys("SKU-1", "a&b+c d/é");
        assertThat(upstream.productQueries()).hasSize(queries + 1);
        assertThat(upstream.productQueries().get(queries).getRawQuery()).doesNotContain("SKU-1");

        caching.prices(List.of("NOPE"));
        assertThat(upstream.productQueries()).as("an unknown SKU is asked for every time").hasSize(queries + 2);
    }

    @Test
    void remembersACustomerThatExistsButNeverOneThatDoesNot() {
        HttpDependency dependency = new HttpDependency(URI.create(upstream.baseUrl()), Duration.ofSeconds(1), Duration.ofSeconds(1));
        CustomerDirectory caching = new CustomerDirectory(passThrough(CustomerDirectory.NAME, dependency),
                Duration.ofMinutes(1));
        assertThat(caching.exists("customer-1")).isTrue();
        assertThat(caching.exists("nobody")).isFalse();
        int requests = upstream.requestCount();

        assertThat(caching.exists("customer-1")).isTrue();
        assertThat(upstream.requestCount()).isEqualTo(requests);
        assertThat(caching.exists("nobody")).isFalse();
        assertThat(upstream.requestCount()).isEqualTo(requests + 1);
    }

    @Test
    void returnsPricesOfKnownSkusOnly() {
        assertThat(inventory.prices(List.of("SKU-1", "NOPE")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("SKU-1", new BigDecimal("10.00")));
    }

    @Test
    void sendsEachSkuAsOneQueryValueWhateverItsCharacters() {
        assertThat(inventory.prices(List.of("a&b+c d/é"))).containsEntry("a&b+c d/é", new BigDecimal("2.50"));
        assertThat(upstream.productQueries().get(upstream.productQueries().size() - 1).getRawQuery())
                .endsWith("&size=500");
    }

    @Test
    void toleratesFieldsItDoesNotKnow() {
        upstream.productsBody("{\"content\":[{\"sku\":\"SKU-1\",\"price\":10.00,\"colour\":\"red\"}],\"links\":[]}");

        assertThat(inventory.prices(List.of("SKU-1"))).containsEntry("SKU-1", new BigDecimal("10.00"));
    }

    @Test
    void inventoryErrorStatusIsUnavailability() {
        upstream.productsAnswer(500);

        assertThatThrownBy(() -> inventory.prices(List.of("SKU-1")))
                .isInstanceOfSatisfying(DependencyUnavailableException.class,
                        e -> assertThat(e.dependency()).isEqualTo(InventoryClient.NAME));
    }

    @Test
    void slowInventoryIsUnavailability() {
        upstream.productsDelay(Duration.ofMillis(1600));

        assertThatThrownBy(() -> inventory.prices(List.of("SKU-1"))).isInstanceOf(DependencyUnavailableException.class);
    }

    @Test
    void priceMissingFromTheAnswerIsUnavailabilityNotAFreeProduct() {
        upstream.productsBody("{\"content\":[{\"sku\":\"SKU-1\"}]}");

        assertThatThrownBy(() -> inventory.prices(List.of("SKU-1")))
                .isInstanceOf(DependencyUnavailableException.class).hasMessageContaining("no valid price");
    }

    @Test
    void answerWithoutContentIsUnavailability() {
        upstream.productsBody("{\"page\":{}}");

        assertThatThrownBy(() -> inventory.prices(List.of("SKU-1"))).isInstanceOf(DependencyUnavailableException.class);
    }

    @Test
    void knowsCustomersAndTellsUnknownOnes() {
        assertThat(customers.exists("customer-1")).isTrue();
        assertThat(customers.exists("with/slash")).isTrue();
        assertThat(customers.exists("nobody")).isFalse();
    }

    @Test
    void customerLookupErrorIsUnavailability() {
        upstream.customersAnswer(503);

        assertThatThrownBy(() -> customers.exists("customer-1"))
                .isInstanceOfSatisfying(DependencyUnavailableException.class,
                        e -> assertThat(e.dependency()).isEqualTo(CustomerDirectory.NAME));
    }

    @Test
    void refusedConnectionIsUnavailability() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpDependency nowhere = new HttpDependency(URI.create("http://127.0.0.1:" + closedPort), Duration.ofSeconds(1),
                Duration.ofSeconds(1));

        assertThatThrownBy(() -> new InventoryClient(passThrough("nowhere", nowhere)).prices(List.of("SKU-1")))
                .isInstanceOf(DependencyUnavailableException.class);
        assertThatThrownBy(() -> new CustomerDirectory(passThrough("nowhere", nowhere)).exists("customer-1"))
                .isInstanceOf(DependencyUnavailableException.class);
    }

    static ResilientDependency passThrough(String name, HttpDependency dependency) {
        return ResilientDependency.of(name, dependency, RestClient.builder(), CircuitBreaker::ofDefaults,
                Retry.of(name, RetryConfig.custom().maxAttempts(1).build()),
                TimeLimiter.of(name, TimeLimiterConfig.custom().timeoutDuration(Duration.ofSeconds(30)).build()),
                ThreadPoolBulkhead.ofDefaults(name));
    }
}
