package dev.sagaplatform.relay;

import java.time.Instant;

/**
 * What one source is doing, for health and operators.
 *
 * @param detail the last problem, phrased as what to do about it
 */
public record SourceState(Status status, String detail, Instant since) {

    public enum Status {
        /** Checking the database and starting the connector. */
        STARTING,
        /** Streaming the outbox to Kafka. */
        RUNNING,
        /** A transient fault (database or Kafka unreachable): retrying with backoff, nothing is lost. */
        RETRYING,
        /** Misconfigured: needs a person (the detail says what to change); re-checked periodically. */
        FAILED,
        /** Another relay instance holds this source's election lock and publishes it; this one takes over when it goes. */
        STANDBY,
        STOPPED
    }

    static SourceState of(Status status, String detail) {
        return new SourceState(status, detail, Instant.now());
    }
}
