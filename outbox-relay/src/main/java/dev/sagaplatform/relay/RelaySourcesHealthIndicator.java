package dev.sagaplatform.relay;

import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health per source: UP while every source runs; a RETRYING source shows as {@code RETRYING}
 * (a transient fault, nothing lost); a misconfigured one makes the relay DOWN with the fix in the details.
 */
class RelaySourcesHealthIndicator extends AbstractHealthIndicator {

    static final Status RETRYING = new Status("RETRYING", "a source is retrying a transient fault");

    private final OutboxRelay relay;

    RelaySourcesHealthIndicator(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, SourceState> states = relay.states();
        boolean anyFailed = states.values().stream().anyMatch(s -> s.status() == SourceState.Status.FAILED);
        boolean allRunning = states.values().stream().allMatch(s -> s.status() == SourceState.Status.RUNNING);
        builder.status(anyFailed ? Status.DOWN : allRunning ? Status.UP : RETRYING);
        states.forEach((name, state) -> builder.withDetail(name, state.detail() == null
                ? Map.of("status", state.status(), "since", state.since().toString())
                : Map.of("status", state.status(), "since", state.since().toString(), "detail", state.detail())));
    }
}
