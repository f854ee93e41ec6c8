package dev.sagaplatform.orchestrator.saga.domain;

/** What one line of a saga's step history records. */
public enum StepOutcome {
    SENT,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    /** The deadline passed while the participant was still working through its queue: the saga waits longer. */
    WAITING,
    LATE_REPLY_IGNORED,
    RETRIED,
    STUCK
}
