package dev.sagaplatform.messaging.deadletter;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What this application instance dead-lettered since it started: how many, per original topic, and the last one.
 * The dead-letter topics themselves hold every instance's, for as long as their retention keeps them
 * ({@link DeadLetterStore}); this is the quick answer for the health endpoint. Thread-safe.
 */
public final class DeadLetterTally {

    private final Instant since;
    private final Map<String, Long> byTopic = new TreeMap<>();
    private long total;
    private Last last;

    public DeadLetterTally(Instant since) {
        this.since = since;
    }

    /**
     * @param record        the dead letter's {@link DeadLetter#coordinates() coordinates} on its dead-letter topic
     * @param originalTopic the topic the consumer gave up on it in
     */
    public synchronized void record(String record, String originalTopic, Instant at, String error) {
        total++;
        byTopic.merge(originalTopic, 1L, Long::sum);
        last = new Last(record, originalTopic, at, error);
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(since, total, Collections.unmodifiableMap(new TreeMap<>(byTopic)), last);
    }

    /** @param byTopic counts per original topic, by topic name; {@code last} is {@code null} until the first dead letter */
    public record Snapshot(Instant since, long total, Map<String, Long> byTopic, Last last) {
    }

    /** The most recent dead letter: where it is ({@code TOPIC:PARTITION@OFFSET}), when, and why. */
    public record Last(String record, String originalTopic, Instant at, String error) {
    }
}
