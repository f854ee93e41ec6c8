package dev.sagaplatform.order.remote;

import dev.sagaplatform.testsupport.ExposedMetrics;
import static dev.sagaplatform.order.support.Api.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.order.support.Api;
import dev.sagaplatform.order.support.Api.Response;
import dev.sagaplatform.order.support.UpstreamStub;
import dev.sagaplatform.testsupport.RealInfrastructure;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The resilience policies of both outbound calls, with the service's own YAML and a few numbers made
 * smaller so that a test sees the breaker open in two orders instead of five: real HTTP to a stub of
 * inventory- and payment-service (inventory-service itself has no fault controls, and the reactor builds
 * this module before it; the real dependencies are exercised by e2e-tests' ResilienceEndToEndTest).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.messaging.retention.enabled=false",
        // No saga runs here, so every order stays PENDING: room for all of them at the door (AdmissionTest covers it).
        // Every order asks the stubs, whose faults and holds these tests control.
        "inventory.price-cache-ttl=0s",
        "payment.customer-cache-ttl=0s",
        "orders.admission.min-in-flight=1000",
        "resilience4j.circuitbreaker.instances.inventory-service.sliding-window-size=4",
        "resilience4j.circuitbreaker.instances.inventory-service.minimum-number-of-calls=4",
        "resilience4j.circuitbreaker.instances.inventory-service.wait-duration-in-open-state=1s",
        "resilience4j.circuitbreaker.instances.inventory-service.permitted-number-of-calls-in-half-open-state=2",
        "resilience4j.timelimiter.instances.inventory-service.timeout-duration=1s",
        "inventory.read-timeout=3s",
        // Two threads and one queue slot: three parked lookups saturate it.
        "resilience4j.thread-pool-bulkhead.instances.payment-service.core-thread-pool-size=2",
        "resilience4j.thread-pool-bulkhead.instances.payment-service.max-thread-pool-size=2",
        "resilience4j.thread-pool-bulkhead.instances.payment-service.queue-capacity=1",
        "resilience4j.timelimiter.instances.payment-service.timeout-duration=20s",
        "payment.read-timeout=20s",
        // Health details for everyone, as the local platform runs it (OrderApiTest covers the admin-only default).
        "management.endpoint.health.show-details=always"})
@RealInfrastructure
// Closed after the class: its Kafka consumers (group order-service) must not take partitions from other test classes.
@DirtiesContext
class ResilienceTest {

    static final UpstreamStub upstream = UpstreamStub.start()
            .customer("customer-1")
            .customer("parked")
            .product("SKU-1", "10.00");

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("inventory.base-url", upstream::baseUrl);
        registry.add("payment.base-url", upstream::baseUrl);
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    CircuitBreakerRegistry circuitBreakers;
    @Autowired
    ThreadPoolBulkheadRegistry bulkheads;
    @Autowired
    TimeLimiterRegistry timeLimiters;
    @Autowired
    InventoryClient inventory;
    @Autowired
    CustomerDirectory customers;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(port);
    }

    @AfterEach
    void healAndClose() {
        upstream.heal();
        circuitBreakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
        // Parked lookups finish once released; the next test starts with an idle pool.
        await().atMost(Duration.ofSeconds(20)).until(() -> bulkheads.getAllBulkheads().stream()
                .allMatch(b -> b.getMetrics().getQueueDepth() == 0 && b.getMetrics().getActiveThreadCount() == 0));
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @Test
    void breakerOpensAfterTheFailureRateThenAnswers503WithoutCallingAndClosesAfterHalfOpenProbes() {
        CircuitBreaker breaker = circuitBreakers.circuitBreaker(InventoryClient.NAME);
        List<String> transitions = new CopyOnWriteArrayList<>();
        breaker.getEventPublisher().onStateTransition(e -> transitions.add(transitionOf(e)));
        upstream.productsAnswer(500);

        // Two orders, two attempts each: four failures in a window of four.
        for (int i = 0; i < 2; i++) {
            assertThat(api.placeOrder(newKey(), JSON, order("customer-1", "SKU-1")).status()).isEqualTo(503);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        int inventoryCallsBefore = upstream.productQueries().size();
        Counts before = counts();
        String key = newKey();
        Response refused = api.placeOrder(key, JSON, order("customer-1", "SKU-1"));

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.problemType()).isEqualTo("dependency-unavailable");
        assertThat(refused.json().path("dependency").asString()).isEqualTo("inventory-service");
        assertThat(refused.header("Retry-After")).isEqualTo("5");
        assertThat(upstream.productQueries()).as("an open breaker does not call").hasSize(inventoryCallsBefore);
        assertThat(counts()).isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from idempotency_key where idempotency_key = ?").param(key)
                .query(Long.class).single()).isZero();

        upstream.heal();
        await().atMost(Duration.ofSeconds(10)).until(() -> breaker.getState() == CircuitBreaker.State.HALF_OPEN);
        // Two probes are let through; both succeed, so the breaker closes.
        assertThat(api.placeOrder(key, JSON, order("customer-1", "SKU-1")).status()).isEqualTo(202);
        assertThat(api.placeOrder(newKey(), JSON, order("customer-1", "SKU-1")).status()).isEqualTo(202);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }

    @Test
    void unknownSkusAndCustomersAreAnswersNotBreakerFailures() {
        for (int i = 0; i < 6; i++) {
            assertThat(api.placeOrder(newKey(), JSON, order("customer-1", "NO-SUCH-SKU")).problemType())
                    .isEqualTo("unknown-sku");
            assertThat(api.placeOrder(newKey(), JSON, order("nobody", "SKU-1")).problemType())
                    .isEqualTo("unknown-customer");
        }

        for (String name : List.of(InventoryClient.NAME, CustomerDirectory.NAME)) {
            CircuitBreaker breaker = circuitBreakers.circuitBreaker(name);
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(breaker.getMetrics().getNumberOfFailedCalls()).as(name).isZero();
        }
    }

    @Test
    void slowInventoryIsCutAtTheTimeLimitOnEveryAttempt() {
        upstream.productsDelay(Duration.ofMillis(2500)); // above the 1 s time limit, below the 3 s read timeout
        AtomicInteger timeouts = new AtomicInteger();
        timeLimiters.timeLimiter(InventoryClient.NAME).getEventPublisher().onTimeout(e -> timeouts.incrementAndGet());

        assertThatThrownBy(() -> inventory.prices(List.of("SKU-1")))
                .isInstanceOf(DependencyUnavailableException.class)
                .hasMessageContaining("time limit");

        // Two attempts, each cut by the time limiter (1 s) rather than waiting 2.5 s for the answer: an attempt
        // that waited for its answer would have raised no timeout event.
        assertThat(timeouts).hasValue(2);
    }

    @Test
    void saturatedCustomerLookupsAreRejectedAtOnceWhileInventoryCallsGoThrough() throws Exception {
        ThreadPoolBulkhead bulkhead = bulkheads.bulkhead(CustomerDirectory.NAME);
        UpstreamStub.Hold hold = upstream.hold("parked");
        List<CompletableFuture<Boolean>> parked = new ArrayList<>();
        // Own threads: the common pool has a single thread on a 2-core machine. One after the other, because
        // an idle pool thread takes its task from the one-slot queue, and a second task offered before it
        // does would be rejected.
        ExecutorService callers = Executors.newFixedThreadPool(3);
        for (int i = 1; i <= 3; i++) {
            parked.add(CompletableFuture.supplyAsync(() -> customers.exists("parked"), callers));
            int active = Math.min(i, 2);
            int queued = i - active;
            await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.getMetrics().getActiveThreadCount() == active
                    && bulkhead.getMetrics().getQueueDepth() == queued);
        }
        assertThat(hold.awaitArrival(Duration.ofSeconds(10))).isTrue();
        int requestsBefore = upstream.requestCount();

        assertThatThrownBy(() -> customers.exists("customer-1"))
                .isInstanceOf(DependencyUnavailableException.class).hasMessageContaining("bulkhead full");
        Response refused = api.placeOrder(newKey(), JSON, order("customer-1", "SKU-1"));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().path("dependency").asString()).isEqualTo("payment-service");
        assertThat(upstream.requestCount()).as("rejected, not retried, nothing sent").isEqualTo(requestsBefore);
        // The other dependency has its own pool.
        assertThat(inventory.prices(List.of("SKU-1"))).containsEntry("SKU-1", new BigDecimal("10.00"));
        assertThat(circuitBreakers.circuitBreaker(CustomerDirectory.NAME).getMetrics().getNumberOfFailedCalls())
                .as("a full bulkhead says nothing about payment-service").isZero();

        hold.release();
        for (CompletableFuture<Boolean> lookup : parked) {
            assertThat(lookup.get(20, TimeUnit.SECONDS)).isTrue();
        }
        callers.shutdown();
    }

    @Test
    void breakerStatesAreOnHealthButNotInTheProbesAndEveryPolicyIsOnPrometheus() {
        Response health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        var breakers = health.json().path("components").path("circuitBreakers").path("details");
        assertThat(breakers.path("inventory-service").path("details").path("state").asString()).isEqualTo("CLOSED");
        assertThat(breakers.path("payment-service").path("details").path("state").asString()).isEqualTo("CLOSED");
        assertThat(api.get("/actuator/health/liveness").body()).doesNotContain("circuitBreakers");
        assertThat(api.get("/actuator/health/readiness").body()).doesNotContain("circuitBreakers");

        api.placeOrder(newKey(), JSON, order("customer-1", "SKU-1"));
        String prometheus = api.get("/actuator/prometheus").body();
        assertThat(prometheus)
                .contains("resilience4j_circuitbreaker_state{name=\"inventory-service\",state=\"closed\"} 1.0")
                .contains("resilience4j_circuitbreaker_state{name=\"payment-service\",state=\"closed\"} 1.0")
                .contains("resilience4j_retry_calls_total{kind=\"successful_without_retry\",name=\"inventory-service\"}")
                .contains("resilience4j_timelimiter_calls_total{kind=\"successful\",name=\"inventory-service\"}")
                .contains("resilience4j_bulkhead_queue_depth{name=\"inventory-service\"}")
                .contains("resilience4j_retry_calls_total{kind=\"successful_without_retry\",name=\"database\"}");
    }

    /** monitoring/exposed-metrics/order-service.txt: what the dashboards and alerts may use of this service. */
    @Test
    void exposesTheRecordedMetrics() {
        api.placeOrder(newKey(), JSON, order("customer-1", "SKU-1"));
        ExposedMetrics.verifyRecorded("order-service", api.get("/actuator/prometheus").body());
    }

    private static String transitionOf(CircuitBreakerOnStateTransitionEvent event) {
        return event.getStateTransition().getFromState() + "->" + event.getStateTransition().getToState();
    }

    private static String order(String customerId, String sku) {
        return "{\"customerId\":\"" + customerId + "\",\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}";
    }

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    private Counts counts() {
        return new Counts(count("orders"), count("outbox"), count("idempotency_key"));
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    record Counts(long orders, long outbox, long keys) {
    }
}
