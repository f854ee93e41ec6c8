package dev.sagaplatform.simulator;

/** What the tests use of the workload's defaults. */
final class Workloads {

    /** As {@code ./platform simulate} defaults to. */
    static final int MAX_ORDERS = 8;

    private Workloads() {
    }
}
