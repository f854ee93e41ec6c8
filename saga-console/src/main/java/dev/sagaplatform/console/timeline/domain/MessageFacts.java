package dev.sagaplatform.console.timeline.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * What a message's payload says that the timeline uses; every field may be null (a payload that does not parse, a
 * type without that field). Read by the messaging adapter, so this package needs no JSON library.
 *
 * @param replyOutcome a {@code SagaReply}'s {@code SUCCESS} or {@code FAILURE}
 * @param commandType  the command a {@code SagaReply} answers
 */
public record MessageFacts(UUID orderId, String customerId, String flow, BigDecimal total, Instant createdAt, String reason,
                           String reasonDetail, UUID sagaId, String replyOutcome, String commandType) {

    public static final MessageFacts NONE = new MessageFacts(null, null, null, null, null, null, null, null, null, null);
}
