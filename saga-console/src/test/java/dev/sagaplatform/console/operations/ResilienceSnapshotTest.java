package dev.sagaplatform.console.operations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResilienceSnapshotTest {

    @Test
    void readsBreakerStatesBulkheadsAndRelayLagFromPrometheusText() {
        String text = """
                # HELP resilience4j_circuitbreaker_state The states of the circuit breaker
                # TYPE resilience4j_circuitbreaker_state gauge
                resilience4j_circuitbreaker_state{application="payment-service",name="payment-gateway",state="closed"} 0.0
                resilience4j_circuitbreaker_state{application="payment-service",name="payment-gateway",state="open"} 1.0
                resilience4j_circuitbreaker_state{application="payment-service",name="database",state="closed"} 1.0
                resilience4j_bulkhead_available_concurrent_calls{name="payment-gateway"} 7.0
                resilience4j_bulkhead_max_allowed_concurrent_calls{name="payment-gateway"} 10.0
                relay_source_running{source="order"} 1.0
                relay_publish_lag_seconds_max{source="order"} 0.025
                relay_slot_confirmed_lag_bytes{source="order"} 1024.0
                """;
        ResilienceSnapshot snapshot = ResilienceSnapshot.parse("payment-service", text);

        assertThat(snapshot.breakers()).containsExactly(new ResilienceSnapshot.Breaker("payment-gateway", "OPEN"),
                new ResilienceSnapshot.Breaker("database", "CLOSED"));
        assertThat(snapshot.bulkheads()).containsExactly(new ResilienceSnapshot.Bulkhead("payment-gateway", 7.0, 10.0));
        assertThat(snapshot.relaySources()).containsExactly(new ResilienceSnapshot.RelaySource("order", true, 0.025, 1024.0));
    }
}
