package dev.sagaplatform.orchestrator.saga;

import dev.sagaplatform.orchestrator.saga.domain.ParticipantBacklog;
import java.time.Duration;

/** How busy the participant that answers a command is, as seen from outside it. */
public interface ParticipantQueues {

    /**
     * @param commandType  catalog name of the pending command, e.g. {@code AuthorizePayment}
     * @param waitedSoFar  since the command was (last) sent
     */
    ParticipantBacklog backlogOf(String commandType, Duration waitedSoFar);
}
