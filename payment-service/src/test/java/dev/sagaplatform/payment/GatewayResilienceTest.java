package dev.sagaplatform.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.payment.payment.gateway.ChargeKeys;
import dev.sagaplatform.payment.payment.gateway.GatewayRefusedException;
import dev.sagaplatform.payment.payment.gateway.GatewayResilience;
import dev.sagaplatform.payment.payment.gateway.GatewayUnavailableException;
import dev.sagaplatform.payment.payment.gateway.PaymentGatewayClient;
import dev.sagaplatform.testsupport.RealInfrastructure;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway client's resilience against the real payment-gateway (a child JVM from its runnable jar),
 * broken on purpose through its fault controls. The service's own YAML applies, with smaller numbers
 * where a test would otherwise wait: a breaker that opens after 5 attempts and half-opens after 1 s,
 * a 1 s time limit, a bulkhead of 2 threads and 1 queue slot.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "payment.seed.location=none",
        "resilience4j.circuitbreaker.instances.payment-gateway.sliding-window-size=10",
        "resilience4j.circuitbreaker.instances.payment-gateway.minimum-number-of-calls=5",
        "resilience4j.circuitbreaker.instances.payment-gateway.wait-duration-in-open-state=1s",
        "resilience4j.circuitbreaker.instances.payment-gateway.permitted-number-of-calls-in-half-open-state=2",
        "resilience4j.timelimiter.instances.payment-gateway.timeout-duration=1s",
        "resilience4j.thread-pool-bulkhead.instances.payment-gateway.core-thread-pool-size=2",
        "resilience4j.thread-pool-bulkhead.instances.payment-gateway.max-thread-pool-size=2",
        "resilience4j.thread-pool-bulkhead.instances.payment-gateway.queue-capacity=1",
        // Slow answers outlive the time limit, so cut calls keep their bulkhead threads for a while.
        "payment.gateway.read-timeout=8s"})
@RealInfrastructure
// Closed after the class: its Kafka consumers (group payment-service) must not take partitions from other test classes.
@DirtiesContext
class GatewayResilienceTest {

    private static final RealPaymentGateway gateway = RealPaymentGateway.start();
    private static final String ERRORS = "gateway_faults_injected_total{fault=\"error\"}";
    private static final BigDecimal AMOUNT = new BigDecimal("12.50");

    @DynamicPropertySource
    static void gatewayUrl(DynamicPropertyRegistry registry) {
        registry.add("payment.gateway.base-url", gateway::baseUrl);
    }

    @Autowired
    PaymentGatewayClient client;
    @Autowired
    CircuitBreakerRegistry circuitBreakers;
    @Autowired
    RetryRegistry retries;
    @Autowired
    TimeLimiterRegistry timeLimiters;
    @Autowired
    ThreadPoolBulkheadRegistry bulkheads;
    @LocalServerPort
    int port;

    @AfterEach
    void heal() {
        gateway.heal();
        breaker().reset();
        ThreadPoolBulkhead bulkhead = bulkheads.bulkhead(GatewayResilience.NAME);
        await().atMost(Duration.ofSeconds(30)).until(() -> bulkhead.getMetrics().getActiveThreadCount() == 0
                && bulkhead.getMetrics().getQueueDepth() == 0);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void breakerOpensAtTheFailureRateLetsHalfOpenProbesThroughAndClosesOnRecovery() {
        CircuitBreaker breaker = breaker();
        List<String> transitions = new CopyOnWriteArrayList<>();
        breaker.getEventPublisher().onStateTransition(e -> transitions.add(
                e.getStateTransition().getFromState() + "->" + e.getStateTransition().getToState()));
        gateway.faults("{\"errorRate\":1.0}");

        // Three attempts per charge, each a breaker failure: the fifth opens it (minimum 5, 60 %).
        for (int i = 0; i < 3 && breaker.getState() == CircuitBreaker.State.CLOSED; i++) {
            assertThatThrownBy(() -> charge(UUID.randomUUID()))
                    .isInstanceOf(GatewayUnavailableException.class);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        double errorsWhileOpen = gateway.metric(ERRORS);
        assertThatThrownBy(() -> charge(UUID.randomUUID()))
                .isInstanceOf(GatewayUnavailableException.class).hasMessageContaining("circuit breaker is open");
        assertThat(gateway.metric(ERRORS)).as("an open breaker sends nothing").isEqualTo(errorsWhileOpen);

        // Half-open with the gateway still failing: both probes reach it, fail, and the breaker opens again.
        await().atMost(Duration.ofSeconds(10)).until(() -> breaker.getState() == CircuitBreaker.State.HALF_OPEN);
        assertThatThrownBy(() -> charge(UUID.randomUUID()))
                .isInstanceOf(GatewayUnavailableException.class);
        assertThat(gateway.metric(ERRORS)).isEqualTo(errorsWhileOpen + 2);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        // Recovered: the probes succeed (real charges at the gateway) and the breaker closes.
        gateway.heal();
        await().atMost(Duration.ofSeconds(10)).until(() -> breaker.getState() == CircuitBreaker.State.HALF_OPEN);
        UUID probe = UUID.randomUUID();
        assertThat(charge(probe)).isNotNull();
        assertThat(charge(UUID.randomUUID())).isNotNull();
        assertThat(gateway.chargesOf(probe)).isEqualTo(1);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN",
                "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }

    @Test
    void refusalIsAnAnswerNeitherRetriedNorCountedAsABreakerFailure() {
        UUID orderId = UUID.randomUUID();
        client.refundOrVoid(orderId, AMOUNT); // voids the charge key: the gateway will refuse the charge
        double refusedBefore = gateway.metric("gateway_charges_total{outcome=\"refused-voided\"}");

        assertThatThrownBy(() -> charge(orderId)).isInstanceOf(GatewayRefusedException.class);

        assertThat(gateway.metric("gateway_charges_total{outcome=\"refused-voided\"}")).isEqualTo(refusedBefore + 1);
        assertThat(breaker().getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(breaker().getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(2);
    }

    @Test
    void replayOfAChargeThatWasRefundedMeanwhileIsRefusedNotPaidTwice() {
        UUID orderId = UUID.randomUUID();
        charge(orderId);
        client.refundOrVoid(orderId, AMOUNT);

        // What a redelivered authorization sees when the first one's refund committed at the gateway only.
        assertThatThrownBy(() -> charge(orderId))
                .isInstanceOf(GatewayRefusedException.class).hasMessageContaining("REFUNDED");
    }

    @Test
    void retryIntervalsGrowAndAreJittered() {
        Retry retry = retries.retry(GatewayResilience.NAME);
        List<Long> waits = new CopyOnWriteArrayList<>();
        retry.getEventPublisher().onRetry(e -> waits.add(e.getWaitInterval().toMillis()));
        gateway.faults("{\"errorRate\":1.0}");
        List<Long> firstWaits = new ArrayList<>();

        for (int i = 0; i < 4; i++) {
            double errorsBefore = gateway.metric(ERRORS);
            waits.clear();
            assertThatThrownBy(() -> charge(UUID.randomUUID()))
                    .isInstanceOf(GatewayUnavailableException.class);
            breaker().reset(); // keep the breaker out of it: this test is about the waits

            assertThat(gateway.metric(ERRORS)).as("three attempts reached the gateway").isEqualTo(errorsBefore + 3);
            assertThat(waits).hasSize(2);
            // 200 ms then 400 ms, each ±30 %: the ranges do not overlap, so every wait is longer than the last.
            assertThat(waits.get(0)).isBetween(140L, 260L);
            assertThat(waits.get(1)).isBetween(280L, 520L);
            assertThat(waits.get(1)).isGreaterThan(waits.get(0));
            firstWaits.add(waits.get(0));
        }
        Set<Long> distinct = new HashSet<>(firstWaits);
        assertThat(distinct).as("jitter spreads the waits of different charges").hasSizeGreaterThan(1);
    }

    @Test
    void hangingGatewayIsCutAtTheTimeLimitOnEveryAttempt() {
        AtomicInteger timeouts = new AtomicInteger();
        timeLimiters.timeLimiter(GatewayResilience.NAME).getEventPublisher().onTimeout(e -> timeouts.incrementAndGet());
        gateway.faults("{\"hang\":true}");

        // The gateway holds every request until the hang is lifted: only the time limiter can end these attempts.
        assertThatThrownBy(() -> charge(UUID.randomUUID()))
                .isInstanceOf(GatewayUnavailableException.class).hasMessageContaining("time limit");

        assertThat(timeouts).as("each of the three attempts cut by the time limiter").hasValue(3);
    }

    @Test
    void saturatedBulkheadRejectsAtOnceWhileCustomerReadsStayAvailable() throws Exception {
        ThreadPoolBulkhead bulkhead = bulkheads.bulkhead(GatewayResilience.NAME);
        gateway.faults("{\"latencyMs\":6000,\"latencyDistribution\":\"FIXED\"}");
        ExecutorService callers = Executors.newFixedThreadPool(3);
        List<CompletableFuture<Object>> slow = new ArrayList<>();
        // One after the other: an idle pool thread takes its task from the one-slot queue, and a second task
        // offered before it does would be rejected.
        for (int i = 1; i <= 3; i++) {
            slow.add(CompletableFuture.supplyAsync(() -> charge(UUID.randomUUID()), callers)
                    .handle((chargeId, failure) -> failure == null ? chargeId : failure));
            int active = Math.min(i, 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.getMetrics().getActiveThreadCount() == 2
                    || bulkhead.getMetrics().getActiveThreadCount() == active);
        }
        // Cut callers retry into the queue, so it stays full until the slow answers come (6 s).
        await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.getMetrics().getActiveThreadCount() == 2
                && bulkhead.getMetrics().getQueueDepth() == 1);

        AtomicInteger rejected = new AtomicInteger();
        bulkhead.getEventPublisher().onCallRejected(e -> rejected.incrementAndGet());
        assertThatThrownBy(() -> charge(UUID.randomUUID()))
                .isInstanceOf(GatewayUnavailableException.class).hasMessageContaining("bulkhead full");
        assertThat(rejected).as("rejected by the full bulkhead, not queued").hasPositiveValue();
        assertThat(bulkhead.getMetrics().getQueueDepth()).as("the queue still holds only the earlier call").isEqualTo(1);
        assertThat(breaker().getMetrics().getNumberOfFailedCalls()).as("a full bulkhead is not the gateway's fault")
                .isLessThanOrEqualTo(3);

        // What order placement asks of this service meanwhile does not wait for the gateway.
        HttpResponse<String> customers = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/customers?size=1")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(customers.statusCode()).isEqualTo(200);

        gateway.heal();
        for (CompletableFuture<Object> call : slow) {
            call.get(30, TimeUnit.SECONDS);
        }
        callers.shutdown();
    }

    /** A charge as Payments makes it: the order's one key on every attempt. */
    private UUID charge(UUID orderId) {
        return client.charge(() -> ChargeKeys.charge(orderId), orderId, "alice", AMOUNT);
    }

    private CircuitBreaker breaker() {
        return circuitBreakers.circuitBreaker(GatewayResilience.NAME);
    }
}
