package dev.sagaplatform.contracts.saga;

import dev.sagaplatform.contracts.Message;

import java.util.UUID;

/**
 * A step or compensation that saga-orchestrator asks a participant to run. The participant answers
 * with a {@link SagaReply} that echoes {@link #commandId()}, which is how the orchestrator tells a
 * reply to the current attempt from a late reply to one that already timed out.
 */
public interface SagaCommand extends Message {

    UUID commandId();

    UUID sagaId();
}
