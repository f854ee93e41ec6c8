package dev.sagaplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsSummaryTest {

    private static final String ORDER_SERVICE = """
            # HELP orders_pending Orders PENDING
            # TYPE orders_pending gauge
            orders_pending{flow="CHOREOGRAPHY"} 2.0
            orders_pending{flow="ORCHESTRATION"} 1.0
            # TYPE messaging_dead_letters_total counter
            messaging_dead_letters_total{service="order-service",topic="inventory.events"} 1.0
            messaging_dead_letters_total{service="order-service",topic="payment.events"} 2.0
            # TYPE resilience4j_circuitbreaker_state gauge
            resilience4j_circuitbreaker_state{name="inventory-service",state="closed"} 1.0
            resilience4j_circuitbreaker_state{name="inventory-service",state="open"} 0.0
            resilience4j_circuitbreaker_state{name="payment-service",state="closed"} 0.0
            resilience4j_circuitbreaker_state{name="payment-service",state="open"} 1.0
            orders_saga_duration_seconds_bucket{ended_by="StockReserved",flow="CHOREOGRAPHY",le="+Inf"} 7
            """;

    @Test
    void summarisesOrderServiceFigures() {
        MetricsSummary summary = MetricsSummary.parse(ORDER_SERVICE);

        assertThat(summary.format()).isEqualTo(
                "in flight 3 · stuck - · dead letters 3 · breakers inventory-service closed, payment-service OPEN");
    }

    @Test
    void countsTheOrchestratorsLiveSagasAndItsStuckOnesApart() {
        MetricsSummary summary = MetricsSummary.parse("""
                saga_instances{state="STARTED"} 4.0
                saga_instances{state="COMPENSATING"} 1.0
                saga_instances{state="STUCK"} 2.0
                saga_stuck 2.0
                messaging_dead_letters_total{service="saga-orchestrator",topic="saga.replies"} 0.0
                """);

        assertThat(summary.format()).isEqualTo("in flight 5 · stuck 2 · dead letters 0 · breakers -");
    }

    /** A gauge whose database was away during the scrape says NaN: unknown, not zero. */
    @Test
    void aFigureTheServiceCouldNotReadIsUnknown() {
        assertThat(MetricsSummary.parse("orders_pending{flow=\"CHOREOGRAPHY\"} NaN\n").format())
                .isEqualTo("in flight - · stuck - · dead letters - · breakers -");
    }

    @Test
    void ignoresWhatItDoesNotKnow() {
        assertThat(MetricsSummary.parse("jvm_threads_live_threads 42.0\nnot a sample line\n").format())
                .isEqualTo("in flight - · stuck - · dead letters - · breakers -");
    }

    @Test
    void aServiceThatDoesNotAnswerIsALineNotAFailure() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        assertThat(MetricsSummary.describe(http, port)).isEqualTo("metrics: no answer");
    }

    @Test
    void statusSummarisesOnlyTheSpringBootServices() {
        assertThat(java.util.Arrays.stream(Component.values()).filter(Platform::hasActuator))
                .containsExactlyInAnyOrder(Component.PAYMENT_GATEWAY, Component.INVENTORY, Component.SAGA_ORCHESTRATOR,
                        Component.PAYMENT, Component.ORDER, Component.OUTBOX_RELAY, Component.SAGA_CONSOLE);
    }
}
