package dev.sagaplatform.console.timeline.domain;

/** What one message on the timeline means for its saga. */
public enum Outcome {
    /** A command sent, or an event that moves the saga forward. */
    SENT,
    /** A step or the whole saga succeeded (a successful reply, {@code StockReserved}, {@code OrderApproved}). */
    SUCCEEDED,
    /** A step refused or failed ({@code PaymentDeclined}, {@code StockRejected}, a failed reply, {@code OrderRejected}). */
    FAILED,
    /** Undoing a step: a refund, a release, the order's rejection by the orchestrator, a choreography time-out. */
    COMPENSATION,
    /** A consumer gave up on the message and put it on the dead-letter topic. */
    DEAD_LETTERED,
    /** A dead letter put back on its original topic (same event id): consumers apply it at most once. */
    REPLAYED
}
