package dev.sagaplatform.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health per source, with this instance's role for it ({@code ACTIVE} publishes, {@code STANDBY} waits for the election
 * lock): UP while every source runs or stands by; a source retrying a transient fault shows as {@code RETRYING}
 * (nothing lost) — until it has been stuck longer than {@code relay.health.stuck-after}, when the relay is
 * DOWN, because its replication slot is piling up WAL meanwhile. A misconfigured source, a slot holding more
 * WAL than {@code relay.health.max-retained-wal-bytes}, or a slot PostgreSQL invalidated also make it DOWN,
 * with what to do in the details.
 */
class RelaySourcesHealthIndicator extends AbstractHealthIndicator {

    static final Status RETRYING = new Status("RETRYING", "a source is retrying a transient fault");

    private final OutboxRelay relay;
    private final SlotMonitor slots;
    private final RelayProperties.Health limits;

    RelaySourcesHealthIndicator(OutboxRelay relay, SlotMonitor slots, RelayProperties.Health limits) {
        this.relay = relay;
        this.slots = slots;
        this.limits = limits;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, SourceState> states = relay.states();
        Map<String, Boolean> roles = relay.roles();
        Instant now = Instant.now();
        boolean down = false;
        boolean allRunning = true;
        for (var entry : states.entrySet()) {
            SourceState state = entry.getValue();
            SlotMonitor.SlotReading slot = slots.reading(entry.getKey());
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("status", state.status());
            detail.put("role", Boolean.TRUE.equals(roles.get(entry.getKey())) ? "ACTIVE" : "STANDBY");
            detail.put("since", state.since().toString());
            if (state.detail() != null) {
                detail.put("detail", state.detail());
            }
            if (slot.exists()) {
                detail.put("slot", Map.of("walStatus", String.valueOf(slot.walStatus()), "retainedWalBytes", slot.retainedWalBytes(),
                        "confirmedLagBytes", slot.confirmedLagBytes()));
            }
            // A standby is healthy and ready: another instance publishes the source, and this one takes over when it goes.
            boolean standingBy = state.status() == SourceState.Status.STANDBY;
            boolean stuck = state.status() != SourceState.Status.RUNNING && state.status() != SourceState.Status.STOPPED && !standingBy
                    && Duration.between(state.since(), now).compareTo(limits.stuckAfter()) > 0;
            if (state.status() == SourceState.Status.FAILED || stuck) {
                down = true;
                detail.put("problem", "not publishing for " + Duration.between(state.since(), now).toSeconds() + " s: its slot keeps WAL"
                        + " until it resumes or PostgreSQL invalidates the slot (max_slot_wal_keep_size)");
            }
            if (slot.lost()) {
                down = true;
                detail.put("problem", "PostgreSQL invalidated the replication slot: WAL the relay had not read is gone. Drop the slot"
                        + " (select pg_drop_replication_slot('" + relay.slotName(entry.getKey()) + "')); the relay creates a new one and"
                        + " re-reads the outbox rows still in the table (snapshot), so the consumers' inboxes absorb what was already sent");
            }
            else if (slot.exists() && slot.retainedWalBytes() > limits.maxRetainedWalBytes()) {
                down = true;
                detail.put("problem", "the slot holds " + slot.retainedWalBytes() + " bytes of WAL, more than " + limits.maxRetainedWalBytes());
            }
            allRunning &= state.status() == SourceState.Status.RUNNING || standingBy;
            builder.withDetail(entry.getKey(), detail);
        }
        builder.status(down ? Status.DOWN : allRunning ? Status.UP : RETRYING);
    }
}
