package dev.sagaplatform.orchestrator.saga.domain;

/** Whether the pending command moves a step forward or undoes it. */
public enum StepAction {
    INVOKE,
    COMPENSATE
}
