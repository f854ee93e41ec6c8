package dev.sagaplatform.orchestrator.saga.domain;

/** The saga states of the public contract (DESIGN.md). */
public enum SagaState {
    /** Going forward: a step's command is out, or the pivot is being re-sent. */
    STARTED,
    /** A step failed or timed out: compensations run in reverse, then the order is rejected. */
    COMPENSATING,
    /** The pivot succeeded: the order is approved. Terminal. */
    COMPLETED,
    /** Every compensation and the rejection succeeded. Terminal. */
    COMPENSATED,
    /** A command that must finish went unanswered for the whole retry budget (or failed): an operator decides. */
    STUCK;

    public boolean isTerminal() {
        return this == COMPLETED || this == COMPENSATED;
    }

    /** States the deadline poller acts on. */
    public boolean isWaiting() {
        return this == STARTED || this == COMPENSATING;
    }
}
