package dev.sagaplatform.simulator;

import dev.sagaplatform.simulator.world.Fault;
import java.util.EnumSet;
import java.util.Set;

/**
 * Makes a failing schedule smaller while it keeps failing: fewer orders, then fewer kinds of fault, each candidate
 * a full deterministic run. What it returns replays with the same seed and the options it names.
 */
public final class Shrinker {

    /** A failing schedule: its seed and the options that make it fail. */
    public record Failing(long seed, Simulation.Settings settings, Simulation.Result result) {
    }

    private Shrinker() {
    }

    public static Failing shrink(Failing failing) {
        Failing best = failing;
        // Fewer orders first: each one removed takes all its messages out of the history.
        for (int orders = 1; orders < best.settings().maxOrders(); orders++) {
            Simulation.Settings fewer = new Simulation.Settings(best.settings().faults(), best.settings().bugs(), orders);
            Simulation.Result result = Simulation.run(best.seed(), fewer, false);
            if (!result.passed()) {
                best = new Failing(best.seed(), fewer, result);
                break;
            }
        }
        boolean smaller = true;
        while (smaller) {
            smaller = false;
            for (Fault fault : best.settings().faults()) {
                Set<Fault> without = EnumSet.copyOf(best.settings().faults());
                without.remove(fault);
                Simulation.Settings fewer = new Simulation.Settings(without.isEmpty() ? EnumSet.noneOf(Fault.class) : without,
                        best.settings().bugs(), best.settings().maxOrders());
                Simulation.Result result = Simulation.run(best.seed(), fewer, false);
                if (!result.passed()) {
                    best = new Failing(best.seed(), fewer, result);
                    smaller = true;
                    break;
                }
            }
        }
        return best;
    }
}
