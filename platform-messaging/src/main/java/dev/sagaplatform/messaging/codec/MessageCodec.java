package dev.sagaplatform.messaging.codec;

import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageCatalog;
import dev.sagaplatform.contracts.MessageType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON form of the contract records. The wire type travels in a header (not inside the payload), so
 * the payload stays the plain record a human reads in the topic, and the catalog picks the class.
 */
public final class MessageCodec {

    private final JsonMapper json;

    public MessageCodec() {
        // Unknown properties are tolerated so that a producer may add a field before its consumers know it.
        this.json = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    public String toJson(Message message) {
        return json.writeValueAsString(message);
    }

    /**
     * @throws UnreadableMessageException when the type is unknown or the payload does not fit it;
     *         retrying cannot fix either, so callers treat it as poison.
     */
    public Message fromJson(String typeName, String payload) {
        MessageType<?> type;
        try {
            type = MessageCatalog.byName(typeName);
        } catch (IllegalArgumentException e) {
            throw new UnreadableMessageException(e.getMessage(), e);
        }
        if (payload == null) {
            throw new UnreadableMessageException("message of type " + typeName + " has no payload", null);
        }
        try {
            return json.readValue(payload, type.javaType());
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new UnreadableMessageException(
                    "payload is not a valid " + typeName + ": " + e.getMessage(), e);
        }
    }
}
