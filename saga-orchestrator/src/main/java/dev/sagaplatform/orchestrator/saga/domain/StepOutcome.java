package dev.sagaplatform.orchestrator.saga.domain;

/** What one line of a saga's step history records. */
public enum StepOutcome {
    SENT,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    LATE_REPLY_IGNORED,
    RETRIED,
    STUCK
}
