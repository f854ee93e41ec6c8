package dev.sagaplatform.order.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagaplatform.order.support.UpstreamStub;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/**
 * Client-side balancing over several instances of a dependency, over real HTTP to stubs and to a port nobody
 * listens on: the breaker is per instance, the retry goes to another instance, and a single URL behaves as
 * before. The policies come from registries configured like {@code application.yml}, smaller numbers aside.
 */
class LoadBalancingTest {

    private final UpstreamStub first = UpstreamStub.start().product("SKU-1", "10.00").customer("customer-1");
    private final UpstreamStub second = UpstreamStub.start().product("SKU-1", "10.00").customer("customer-1");
    private CircuitBreakerRegistry breakers;
    private TimeLimiterRegistry timeLimiters;
    private RetryRegistry retries;
    private ThreadPoolBulkheadRegistry bulkheads;

    @BeforeAll
    static void warmUp() {
        // The first HTTP call and JSON read of a cold JVM can take longer than the 1 s time limit used here.
        try (UpstreamStub stub = UpstreamStub.start().product("SKU-1", "10.00")) {
            HttpDependency http = new HttpDependency(URI.create(stub.baseUrl()), Duration.ofSeconds(5), Duration.ofSeconds(5));
            new InventoryClient(RemoteClientsTest.passThrough("warm-up", http)).prices(List.of("SKU-1"));
        }
    }

    @BeforeEach
    void registries() {
        breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(4)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                // Long enough that an open breaker stays open for the whole test.
                .waitDurationInOpenState(Duration.ofMinutes(1))
                .recordExceptions(DependencyUnavailableException.class, TimeoutException.class)
                .ignoreExceptions(BulkheadFullException.class)
                .build());
        retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(2)
                .waitDuration(Duration.ofMillis(10))
                .retryExceptions(DependencyUnavailableException.class, TimeoutException.class)
                .build());
        timeLimiters = TimeLimiterRegistry.of(TimeLimiterConfig.custom().timeoutDuration(Duration.ofSeconds(1)).build());
        // As in application.yml; Resilience4j's default pool has one core thread on two cores, which would queue
        // the retry behind the slow attempt it replaces.
        bulkheads = ThreadPoolBulkheadRegistry.of(ThreadPoolBulkheadConfig.custom()
                .coreThreadPoolSize(10).maxThreadPoolSize(10).queueCapacity(10).build());
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
    }

    @Test
    void aDeadInstanceOpensOnlyItsOwnBreakerAndStopsGettingCallsWhileEveryLookupSucceeds() throws Exception {
        URI dead = URI.create("http://127.0.0.1:" + closedPort());
        InventoryClient inventory = new InventoryClient(resilient(InventoryClient.NAME, URI.create(first.baseUrl()), dead));
        CircuitBreaker live = breakers.circuitBreaker(InventoryClient.NAME);
        CircuitBreaker refused = breakers.circuitBreaker(InventoryClient.NAME + "@" + HttpDependency.instanceOf(dead));

        for (int i = 0; i < 10; i++) {
            assertThat(inventory.prices(List.of("SKU-1"))).containsEntry("SKU-1", new BigDecimal("10.00"));
        }
        assertThat(refused.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(live.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(live.getMetrics().getNumberOfFailedCalls()).isZero();

        int before = first.requestCount();
        for (int i = 0; i < 10; i++) {
            assertThat(inventory.prices(List.of("SKU-1"))).containsEntry("SKU-1", new BigDecimal("10.00"));
        }
        // One request per lookup: no attempt went to the dead instance first and had to be retried.
        assertThat(first.requestCount() - before).isEqualTo(10);
        assertThat(refused.getMetrics().getNumberOfFailedCalls()).as("no call reached it since it opened").isEqualTo(4);
    }

    @Test
    void callsSpreadEvenlyOverHealthyInstances() {
        InventoryClient inventory = new InventoryClient(resilient(InventoryClient.NAME,
                URI.create(first.baseUrl()), URI.create(second.baseUrl())));

        for (int i = 0; i < 10; i++) {
            inventory.prices(List.of("SKU-1"));
        }

        assertThat(first.requestCount()).isEqualTo(5);
        assertThat(second.requestCount()).isEqualTo(5);
    }

    @Test
    void theRetryOfAnAttemptCutAtTheTimeLimitGoesToTheOtherInstance() {
        first.productsDelay(Duration.ofMillis(2500)); // above the 1 s time limit, below the 3 s read timeout
        AtomicInteger timeouts = new AtomicInteger();
        timeLimiters.timeLimiter(InventoryClient.NAME).getEventPublisher().onTimeout(e -> timeouts.incrementAndGet());
        InventoryClient inventory = new InventoryClient(resilient(InventoryClient.NAME,
                URI.create(first.baseUrl()), URI.create(second.baseUrl())));

        // The first lookup starts at the slow instance, the second at the other one.
        assertThat(inventory.prices(List.of("SKU-1"))).containsEntry("SKU-1", new BigDecimal("10.00"));
        assertThat(inventory.prices(List.of("SKU-1"))).containsEntry("SKU-1", new BigDecimal("10.00"));

        assertThat(timeouts).hasValue(1);
        assertThat(first.requestCount()).isEqualTo(1);
        assertThat(second.requestCount()).isEqualTo(2);
    }

    @Test
    void theRetryOfAFailedLookupGoesToTheOtherInstance() {
        first.customersAnswer(503);
        CustomerDirectory customers = new CustomerDirectory(resilient(CustomerDirectory.NAME,
                URI.create(first.baseUrl()), URI.create(second.baseUrl())));

        assertThat(customers.exists("customer-1")).isTrue();

        assertThat(first.requestCount()).isEqualTo(1);
        assertThat(second.requestCount()).isEqualTo(1);
        assertThat(breakers.circuitBreaker(CustomerDirectory.NAME).getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
    }

    @Test
    void withEveryBreakerOpenALookupFailsAtOnceWithoutCalling() {
        first.productsAnswer(500);
        second.productsAnswer(500);
        InventoryClient inventory = new InventoryClient(resilient(InventoryClient.NAME,
                URI.create(first.baseUrl()), URI.create(second.baseUrl())));
        // Each lookup tries both instances once: four lookups, four failures in each window of four.
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> inventory.prices(List.of("SKU-1"))).isInstanceOf(DependencyUnavailableException.class);
        }
        assertThat(breakers.getAllCircuitBreakers()).allMatch(b -> b.getState() == CircuitBreaker.State.OPEN);
        int requests = first.requestCount() + second.requestCount();

        long start = System.nanoTime();
        assertThatThrownBy(() -> inventory.prices(List.of("SKU-1")))
                .isInstanceOfSatisfying(DependencyUnavailableException.class,
                        e -> assertThat(e.dependency()).isEqualTo(InventoryClient.NAME))
                .hasMessageContaining("circuit breakers of all 2 instances are open");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
        assertThat(first.requestCount() + second.requestCount()).isEqualTo(requests);
    }

    @Test
    void aSingleInstanceKeepsTheDependencysBreakerAndRetriesThere() {
        first.productsAnswer(500);
        InventoryClient inventory = new InventoryClient(resilient(InventoryClient.NAME, URI.create(first.baseUrl())));

        assertThatThrownBy(() -> inventory.prices(List.of("SKU-1"))).isInstanceOf(DependencyUnavailableException.class);

        assertThat(first.requestCount()).as("both attempts at the only instance").isEqualTo(2);
        assertThat(breakers.getAllCircuitBreakers()).extracting(CircuitBreaker::getName)
                .containsExactly(InventoryClient.NAME);
        assertThat(breakers.circuitBreaker(InventoryClient.NAME).getMetrics().getNumberOfFailedCalls()).isEqualTo(2);
    }

    @Test
    void everyInstancesBreakerIsConfiguredLikeTheDependencysAndNamedAfterIt() {
        // As resilience4j.circuitbreaker.instances.inventory-service would configure it.
        breakers.circuitBreaker(InventoryClient.NAME, CircuitBreakerConfig.custom().slidingWindowSize(7).build());
        URI other = URI.create("http://LocalHost:8183/");

        ResilientDependency dependency = resilient(InventoryClient.NAME, URI.create("http://localhost:8083"), other);

        assertThat(dependency.instances()).extracting(i -> i.circuitBreaker().getName())
                .containsExactly("inventory-service", "inventory-service@localhost:8183");
        assertThat(dependency.instances()).allMatch(i -> i.circuitBreaker().getCircuitBreakerConfig().getSlidingWindowSize() == 7);
    }

    private ResilientDependency resilient(String name, URI... instances) {
        HttpDependency http = new HttpDependency(List.of(instances), Duration.ofSeconds(1), Duration.ofSeconds(3));
        return ResilientDependency.named(name, http, RestClient.builder(), retries, breakers, timeLimiters, bulkheads);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
