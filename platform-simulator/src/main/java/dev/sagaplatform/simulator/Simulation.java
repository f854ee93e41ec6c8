package dev.sagaplatform.simulator;

import dev.sagaplatform.messaging.simulation.PlantedBugs;
import dev.sagaplatform.simulator.check.LocalInvariants;
import dev.sagaplatform.simulator.check.QuiescentInvariants;
import dev.sagaplatform.simulator.services.SimulatedInventory;
import dev.sagaplatform.simulator.services.SimulatedOrchestrator;
import dev.sagaplatform.simulator.services.SimulatedOrders;
import dev.sagaplatform.simulator.services.SimulatedPayment;
import dev.sagaplatform.simulator.world.Fault;
import dev.sagaplatform.simulator.world.Faults;
import dev.sagaplatform.simulator.world.SimClock;
import dev.sagaplatform.simulator.world.Workload;
import dev.sagaplatform.simulator.world.World;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One schedule: a world built from a seed, its workload placed over a few seconds, faults striking until shortly
 * after, then a fault-free stretch in which every saga must end. The services' books are checked after every event,
 * the invariants of DESIGN.md once the world is quiet.
 */
public final class Simulation {

    /** Faults strike until this long after the last order is placed. */
    static final long FAULT_WINDOW_MICROS = 20_000_000;
    /**
     * With faults stopped, every saga must end within this much simulated time: the choreography deadline (2 min)
     * plus a compensation's full retry budget (10 sends, backoff capped at 30 s) with room to spare.
     */
    static final long LIVENESS_BOUND_MICROS = 10 * 60 * 1_000_000L;

    /** What a schedule may use. */
    public record Settings(Set<Fault> faults, PlantedBugs bugs, int maxOrders) {
    }

    /**
     * @param failure  the first violation, or null if the schedule passed
     * @param history  the events in order, if kept
     */
    public record Result(long seed, String failure, List<String> history, int orders, long events, long simulatedMicros,
                         Set<Fault> faults) {

        public boolean passed() {
            return failure == null;
        }
    }

    private Simulation() {
    }

    /** One event; an exception no service caught is a finding like any other, reported with the seed. */
    private static boolean step(World world, long limit) {
        try {
            return world.loop().step(limit);
        } catch (RuntimeException e) {
            StackTraceElement where = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
            world.fail("unexpected " + e + " in event '" + world.loop().current() + "'" + (where == null ? "" : " at " + where));
            return false;
        }
    }

    public static Result run(long seed, Settings settings, boolean keepHistory) {
        World world = new World(seed, settings.bugs(), keepHistory);
        Workload workload = Workload.draw(world.random(), settings.maxOrders());
        long faultsEnd = workload.lastOrderMicros() + FAULT_WINDOW_MICROS;
        world.faults(new Faults(world.random(), world.clock(), settings.faults(), faultsEnd));
        if (world.recording()) {
            world.record("seed " + seed + ": " + workload.describe() + "; faults " + Fault.names(world.faults().drawn())
                    + (settings.bugs().active().isEmpty() ? "" : "; planted bugs " + settings.bugs().active()));
        }

        SimulatedInventory inventory = new SimulatedInventory(world, workload);
        SimulatedPayment payment = new SimulatedPayment(world, workload);
        SimulatedOrchestrator orchestrator = new SimulatedOrchestrator(world);
        SimulatedOrders orders = new SimulatedOrders(world, workload, payment, inventory);
        orders.scheduleWorkload();

        Map<String, Integer> onHand = LocalInvariants.onHand(workload);
        long limit = faultsEnd + LIVENESS_BOUND_MICROS;
        boolean quiet = false;
        long stockChecked = -1;
        long paymentChecked = -1;
        long lastCommits = -1;
        while (world.failure() == null && step(world, limit)) {
            // The books are checked after every event that committed something to them.
            if (stockChecked != inventory.node().database().commits()) {
                stockChecked = inventory.node().database().commits();
                String broken = LocalInvariants.stock(inventory.stock(), onHand);
                if (broken != null) {
                    world.fail(broken);
                    break;
                }
            }
            if (paymentChecked != payment.node().database().commits() || payment.gateway().changed()) {
                paymentChecked = payment.node().database().commits();
                String broken = payment.booksBalance();
                if (broken != null) {
                    world.fail(broken);
                    break;
                }
            }
            // Once every order is placed, the run ends as soon as nothing is left to do (faults or not: with no work
            // in flight there is nothing for them to break); quiet cannot change without a commit or a delivery.
            long commits = world.totalCommits() + world.broker().published() + world.consumed();
            if (commits != lastCommits && orders.allPlaced()) {
                lastCommits = commits;
                if (QuiescentInvariants.quiet(world, orders, payment, orchestrator)) {
                    quiet = true;
                    break;
                }
            }
        }
        if (world.failure() == null && !quiet) {
            world.fail("liveness: the world was not quiet " + SimClock.format(LIVENESS_BOUND_MICROS)
                    + " after the faults stopped: " + QuiescentInvariants.whatIsPending(world, orders, payment, orchestrator));
        }
        if (world.failure() == null) {
            String violated = QuiescentInvariants.check(world, orders, payment, inventory, orchestrator);
            if (violated != null) {
                world.fail(violated);
            }
        }
        return new Result(seed, world.failure(), world.history().lines(), workload.orders().size(), world.loop().events(),
                world.clock().micros(), world.faults().drawn());
    }
}
