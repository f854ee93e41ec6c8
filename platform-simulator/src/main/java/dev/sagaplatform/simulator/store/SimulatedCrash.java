package dev.sagaplatform.simulator.store;

/** The process died here: its open transaction rolls back and nothing after this point happens. */
public final class SimulatedCrash extends RuntimeException {

    public SimulatedCrash(String where) {
        super(where, null, false, false);
    }
}
