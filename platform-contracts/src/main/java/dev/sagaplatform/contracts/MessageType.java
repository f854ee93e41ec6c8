package dev.sagaplatform.contracts;

import java.util.Objects;

/**
 * What travels next to a payload so that a consumer can decode it without guessing:
 * the wire name goes into the outbox {@code type} column and the {@link Headers#EVENT_TYPE} header,
 * the aggregate type into the outbox {@code aggregatetype} column, which picks the topic.
 *
 * @param name          stable wire name; never derived from the class name, so a Java rename does not break consumers
 * @param javaType      the record the payload decodes into
 * @param schemaVersion raised on an incompatible payload change, so old and new shapes can be told apart in flight
 * @param aggregateType outbox {@code aggregatetype}; see {@link AggregateTypes} and {@link Topics#topicFor(String)}
 */
public record MessageType<T extends Message>(String name, Class<T> javaType, int schemaVersion, String aggregateType) {

    public MessageType {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("message type name must not be blank");
        }
        Objects.requireNonNull(javaType, () -> "javaType of message type " + name + " must not be null");
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion of message type " + name + " must be >= 1, was " + schemaVersion);
        }
        if (aggregateType == null || aggregateType.isBlank()) {
            throw new IllegalArgumentException("aggregateType of message type " + name + " must not be blank");
        }
    }

    /** The topic the relay publishes this type to by default. */
    public String topic() {
        return Topics.topicFor(aggregateType);
    }
}
