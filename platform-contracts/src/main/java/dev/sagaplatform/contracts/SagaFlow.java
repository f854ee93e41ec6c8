package dev.sagaplatform.contracts;

/** How an order's saga is coordinated; both flows run the same participant operations. */
public enum SagaFlow {
    /** Participants react to each other's events; no coordinator. */
    CHOREOGRAPHY,
    /** saga-orchestrator sends commands and collects replies. */
    ORCHESTRATION
}
