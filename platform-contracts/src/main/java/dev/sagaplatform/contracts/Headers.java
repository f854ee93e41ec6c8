package dev.sagaplatform.contracts;

/** Kafka record header names that producers set and consumers rely on. */
public final class Headers {

    /** The outbox row id; consumers deduplicate on it, so it must survive redelivery unchanged. */
    public static final String EVENT_ID = "event-id";
    /** A {@link MessageType#name()}: lets a consumer pick the record type before reading the payload. */
    public static final String EVENT_TYPE = "event-type";
    /** A {@link MessageType#schemaVersion()}. */
    public static final String SCHEMA_VERSION = "schema-version";
    /** W3C trace context, so one saga shows up as one trace across services and the relay. */
    public static final String TRACEPARENT = "traceparent";
    /** The outbox {@code aggregatetype}, kept for dead-letter triage after the topic is gone from view. */
    public static final String AGGREGATE_TYPE = "aggregate-type";
    /**
     * The {@link #EVENT_ID} of the message whose handling wrote this one, absent when no message caused it (an HTTP
     * request, a deadline or retry poller): lets a reader of the topics follow cause to effect.
     */
    public static final String CAUSATION_ID = "causation-id";

    private Headers() {
    }
}
