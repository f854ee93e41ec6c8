package dev.sagaplatform.simulator.world;

import java.util.EnumSet;
import java.util.Set;

/**
 * The faults of one schedule: which kinds strike and how hard, drawn from the seed, and until when. After
 * its end the world is fault free, so that liveness can be judged: every saga must then end within
 * bounded simulated time.
 */
public final class Faults {

    private static final long MS = 1_000;

    private final SimRandom random;
    private final SimClock clock;
    /** Each kind's intensity by ordinal, 0 when it does not strike: asked on every event, so an array. */
    private final double[] strengths = new double[Fault.values().length];
    private final long endMicros;

    /**
     * @param enabled the kinds this run may use; each is switched on for a schedule with probability 1/2 and gets an
     *                intensity in (0, 1], so that schedules range from quiet to hostile
     */
    public Faults(SimRandom random, SimClock clock, Set<Fault> enabled, long endMicros) {
        this.random = random;
        this.clock = clock;
        this.endMicros = endMicros;
        for (Fault fault : Fault.values()) {
            // Drawn for every kind, enabled or not, so that enabling one more kind does not shift the others' draws.
            boolean on = random.chance(0.5);
            double strength = 0.05 + 0.95 * random.between(0, 1000) / 1000.0;
            if (enabled.contains(fault) && on) {
                strengths[fault.ordinal()] = strength;
            }
        }
    }

    private double strength(Fault fault) {
        return clock.micros() < endMicros ? strengths[fault.ordinal()] : 0.0;
    }

    /** The kinds this schedule drew, in declaration order. */
    public Set<Fault> drawn() {
        Set<Fault> drawn = EnumSet.noneOf(Fault.class);
        for (Fault fault : Fault.values()) {
            if (strengths[fault.ordinal()] > 0) {
                drawn.add(fault);
            }
        }
        return drawn;
    }

    /** Time until a consumer takes its next record. */
    public long deliveryDelay() {
        double delay = strength(Fault.DELAY);
        if (delay > 0 && random.chance(0.2 * delay)) {
            // Now and then far beyond a step timeout (10 s): the reply is late, the saga has moved on.
            return random.between(100 * MS, 15_000 * MS);
        }
        return random.between(MS, 5 * MS);
    }

    public long relayDelay() {
        double delay = strength(Fault.DELAY);
        return delay > 0 && random.chance(0.1 * delay) ? random.between(50 * MS, 3_000 * MS) : random.between(MS, 10 * MS);
    }

    public boolean reorders() {
        return strength(Fault.REORDER) > 0;
    }

    public boolean crashesNow() {
        return random.chance(0.02 * strength(Fault.CRASH) + 0.05 * strength(Fault.DUPLICATE));
    }

    public boolean commitsOffsetNow() {
        return !random.chance(0.8 * strength(Fault.DUPLICATE));
    }

    /** How long after applying a record its offset is committed, when not at once. */
    public long commitDelay() {
        return random.between(MS, 500 * MS);
    }

    public boolean losesPublish() {
        return random.chance(0.1 * strength(Fault.OUTBOX_LOSS));
    }

    public long restartDelay() {
        return random.between(200 * MS, 3_000 * MS);
    }

    /** A timer meant to fire after {@code intervalMicros} fires between half and one and a half of it. */
    public long timerDelay(long intervalMicros) {
        return strength(Fault.TIMERS) > 0 ? random.between(intervalMicros / 2, intervalMicros * 3 / 2) : intervalMicros;
    }

    public GatewayAnswer gatewayAnswer() {
        double gateway = strength(Fault.GATEWAY);
        if (gateway > 0 && random.chance(0.3 * gateway)) {
            return random.chance(0.5) ? GatewayAnswer.UNAVAILABLE : GatewayAnswer.SLOW_AFTER_CHARGING;
        }
        return GatewayAnswer.OK;
    }

    public boolean dependencyFails() {
        return random.chance(0.3 * strength(Fault.DEPENDENCIES));
    }

    public boolean duplicatePost() {
        return random.chance(0.3 * strength(Fault.DUPLICATE_POST));
    }

    /**
     * What the simulated payment gateway does with one call: the faults the real payment-gateway can inject (a 503
     * or a reset connection without processing, latency beyond the client's time limit). Refusals are not a fault:
     * they come from the gateway's own decisions (a voided key, a reused key).
     */
    public enum GatewayAnswer {
        OK,
        /** Nothing happens; the client sees an error. */
        UNAVAILABLE,
        /** The request is processed, but the answer comes after the client's time limit: it sees an error. */
        SLOW_AFTER_CHARGING
    }
}
