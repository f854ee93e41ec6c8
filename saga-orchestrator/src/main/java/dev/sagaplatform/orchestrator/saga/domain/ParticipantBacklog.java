package dev.sagaplatform.orchestrator.saga.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * What the orchestrator saw of the participant's inbound queue when a command's deadline passed: how
 * many messages wait ahead of (or with) the command, and whether the participant is working through
 * them. It is what tells "the participant is down" from "the queue is long": a participant that is
 * consuming, with messages still queued, has not had the command's turn yet.
 *
 * @param queued      messages not yet consumed by the participant's consumer group
 * @param consuming   the group committed progress recently
 * @param waitedSoFar since the pending command was (last) sent
 */
public record ParticipantBacklog(long queued, boolean consuming, Duration waitedSoFar) {

    public ParticipantBacklog {
        Objects.requireNonNull(waitedSoFar, "waitedSoFar must not be null");
    }

    /** Nothing known (no broker answer, a retry timer rather than a deadline): the deadline is taken at its word. */
    public static ParticipantBacklog unknown() {
        return new ParticipantBacklog(0, false, Duration.ZERO);
    }

    /** A busy participant with work queued explains a missing reply; an idle or stalled one does not. */
    public boolean explainsTheWait() {
        return queued > 0 && consuming;
    }
}
