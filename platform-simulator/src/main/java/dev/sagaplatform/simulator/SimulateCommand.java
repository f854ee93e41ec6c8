package dev.sagaplatform.simulator;

import dev.sagaplatform.messaging.simulation.PlantedBug;
import dev.sagaplatform.messaging.simulation.PlantedBugs;
import dev.sagaplatform.simulator.world.Fault;
import dev.sagaplatform.simulator.world.Workload;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./platform simulate}: runs schedules, stops at the first failing one, shrinks it and prints how to replay it. */
@Command(name = "./platform simulate", mixinStandardHelpOptions = true, version = "saga-platform 0.1.0", sortOptions = false,
        description = "Runs both saga flows' real business code in a deterministic simulated world, one schedule of faults"
                + " per seed, and checks the invariants after every event and once every saga has ended. Schedule k of a"
                + " run has seed S+k; the first failing one is shrunk and printed with its seed and history, and"
                + " './platform simulate --seed <its seed> ...' as printed replays it exactly. See docs/simulation.md.",
        footer = {"", "Exit code: 0 if every schedule passed, 1 if one failed, 2 for bad options."})
public final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--schedules", paramLabel = "N",
            description = "How many schedules to run (default: 1 with --seed, else 10000).")
    Integer schedules;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the first schedule (default: drawn from the time).")
    Long seed;

    @Option(names = "--faults", paramLabel = "KINDS", defaultValue = "all",
            description = "Kinds of fault schedules may draw, comma separated, or all or none (default: ${DEFAULT-VALUE}). "
                    + "Kinds: delay, reorder, duplicate, outbox-loss, crash, timers, gateway, duplicate-post, dependencies.")
    String faults;

    @Option(names = "--orders", paramLabel = "N", defaultValue = "" + Workload.MAX_ORDERS,
            description = "At most this many orders per schedule (default: ${DEFAULT-VALUE}).")
    int maxOrders;

    @Option(names = "--plant", paramLabel = "BUG",
            description = "Switch on a known bug, to see the simulator find it: ${COMPLETION-CANDIDATES}.")
    List<PlantedBug> planted = new ArrayList<>();

    @Option(names = "--history", description = "Print the history of every schedule run, not only of a failing one.")
    boolean history;

    @Option(names = "--no-shrink", description = "Do not shrink a failing schedule.")
    boolean noShrink;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream out;

    public SimulateCommand() {
        this(System.out);
    }

    SimulateCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulateCommand()).execute(args));
    }

    @Override
    public Integer call() {
        Set<Fault> kinds;
        try {
            kinds = Fault.parse(faults);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (maxOrders < 1 || maxOrders > 1000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--orders must be 1..1000, was " + maxOrders);
        }
        int count = schedules != null ? schedules : seed != null ? 1 : 10_000;
        if (count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--schedules must be at least 1, was " + count);
        }
        long first = seed != null ? seed : System.nanoTime();
        Simulation.Settings settings = new Simulation.Settings(kinds, PlantedBugs.of(planted), maxOrders);
        out.printf("simulating %,d schedule(s) from seed %d, faults %s, at most %d order(s) each%s%n", count, first,
                Fault.names(kinds), maxOrders, planted.isEmpty() ? "" : ", planted bugs " + EnumSet.copyOf(planted));
        Run run = run(first, count, settings, history, out);
        if (run.failing() == null) {
            out.printf("PASSED %,d schedules, %,d sagas, %,d events, %.0f simulated seconds in %.1f s (%,.0f sagas/s)%n",
                    run.schedules(), run.sagas(), run.events(), run.simulatedMicros() / 1e6, run.seconds(),
                    run.sagas() / Math.max(run.seconds(), 1e-9));
            return 0;
        }
        report(run.failing(), noShrink, out);
        return 1;
    }

    /** What a run of schedules did. */
    public record Run(int schedules, long sagas, long events, long simulatedMicros, double seconds, Shrinker.Failing failing) {
    }

    /** Runs schedules {@code first .. first+count-1}; stops at the first that fails. */
    public static Run run(long first, int count, Simulation.Settings settings, boolean printHistories, PrintStream out) {
        long started = System.nanoTime();
        long lastProgress = started;
        long sagas = 0;
        long events = 0;
        long simulated = 0;
        for (int k = 0; k < count; k++) {
            long scheduleSeed = first + k;
            Simulation.Result result = Simulation.run(scheduleSeed, settings, printHistories);
            sagas += result.orders();
            events += result.events();
            simulated += result.simulatedMicros();
            if (printHistories) {
                out.println("schedule " + scheduleSeed + (result.passed() ? " passed" : " FAILED"));
                result.history().forEach(line -> out.println("  " + line));
            }
            if (!result.passed()) {
                return new Run(k + 1, sagas, events, simulated, (System.nanoTime() - started) / 1e9,
                        new Shrinker.Failing(scheduleSeed, settings, result));
            }
            long now = System.nanoTime();
            if (now - lastProgress > 2_000_000_000L) {
                lastProgress = now;
                double seconds = (now - started) / 1e9;
                out.printf("  %,d/%,d schedules, %,d sagas, 0 failures, %,.0f sagas/s%n", k + 1, count, sagas, sagas / seconds);
            }
        }
        return new Run(count, sagas, events, simulated, (System.nanoTime() - started) / 1e9, null);
    }

    static void report(Shrinker.Failing failing, boolean noShrink, PrintStream out) {
        out.printf("FAILED schedule with seed %d: %s%n", failing.seed(), failing.result().failure());
        out.println("  replay: ./platform simulate --seed " + failing.seed() + options(failing.settings()));
        Shrinker.Failing shown = failing;
        if (!noShrink) {
            Shrinker.Failing shrunk = Shrinker.shrink(failing);
            if (!shrunk.settings().equals(failing.settings())) {
                out.printf("shrunk to %d order(s), faults %s: %s%n", shrunk.settings().maxOrders(),
                        Fault.names(shrunk.settings().faults()), shrunk.result().failure());
                out.println("  replay: ./platform simulate --seed " + shrunk.seed() + options(shrunk.settings()));
                shown = shrunk;
            }
        }
        Simulation.Result replayed = Simulation.run(shown.seed(), shown.settings(), true);
        out.println("history of seed " + shown.seed() + " (" + replayed.history().size() + " events):");
        replayed.history().forEach(line -> out.println("  " + line));
    }

    static String options(Simulation.Settings settings) {
        StringBuilder options = new StringBuilder(" --faults " + Fault.names(settings.faults()) + " --orders " + settings.maxOrders());
        settings.bugs().active().forEach(bug -> options.append(" --plant ").append(bug));
        return options.toString();
    }
}
