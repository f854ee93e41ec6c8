package dev.sagaplatform.contracts.saga;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageCatalog;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.RejectionReason;

import java.util.Objects;
import java.util.UUID;

/**
 * A participant's answer to one {@link SagaCommand}. All participants reply on one topic so the
 * orchestrator has a single inbox; {@code commandId} ties the reply to the attempt it answers, and
 * {@code commandType} (a catalog name) says which step it was without a lookup.
 *
 * @param reason       why the step failed; always set on {@link Outcome#FAILURE}, and becomes the order's reason
 * @param reasonDetail human-readable detail, may be null
 */
public record SagaReply(UUID commandId, UUID sagaId, UUID orderId, String commandType, Outcome outcome,
                        RejectionReason reason, String reasonDetail) implements Message {

    public static final MessageType<SagaReply> TYPE =
            new MessageType<>("SagaReply", SagaReply.class, 1, AggregateTypes.SAGA_REPLIES);

    public enum Outcome {
        SUCCESS,
        FAILURE
    }

    public SagaReply {
        Objects.requireNonNull(commandId, "commandId must not be null");
        Objects.requireNonNull(sagaId, "sagaId must not be null");
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(commandType, "commandType must not be null");
        Objects.requireNonNull(outcome, "outcome must not be null");
        // The orchestrator copies this into RejectOrder, which cannot do without it.
        if (outcome == Outcome.FAILURE && reason == null) {
            throw new IllegalArgumentException("a FAILURE reply to " + commandType + " " + commandId + " needs a reason");
        }
    }

    public static SagaReply success(SagaCommand command) {
        Objects.requireNonNull(command, "command must not be null");
        return new SagaReply(command.commandId(), command.sagaId(), command.orderId(), typeName(command),
                Outcome.SUCCESS, null, null);
    }

    public static SagaReply failure(SagaCommand command, RejectionReason reason, String detail) {
        Objects.requireNonNull(command, "command must not be null");
        return new SagaReply(command.commandId(), command.sagaId(), command.orderId(), typeName(command),
                Outcome.FAILURE, reason, detail);
    }

    private static String typeName(SagaCommand command) {
        return MessageCatalog.of(command.getClass()).name();
    }
}
