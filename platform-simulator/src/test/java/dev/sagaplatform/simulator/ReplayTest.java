package dev.sagaplatform.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.messaging.simulation.PlantedBugs;
import dev.sagaplatform.simulator.world.Fault;
import dev.sagaplatform.simulator.world.Workload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A seed is the whole schedule: the same seed gives the same history, byte for byte, from the command line too. */
class ReplayTest {

    private static final Simulation.Settings ALL_FAULTS = new Simulation.Settings(EnumSet.allOf(Fault.class),
            PlantedBugs.NONE, Workload.MAX_ORDERS);

    @Test
    void theSameSeedGivesTheSameHistoryAndAnotherSeedAnother() {
        for (long seed = 1; seed <= 20; seed++) {
            Simulation.Result first = Simulation.run(seed, ALL_FAULTS, true);
            Simulation.Result second = Simulation.run(seed, ALL_FAULTS, true);
            assertThat(second.history()).isEqualTo(first.history());
            assertThat(first.history()).hasSizeGreaterThan(3);
        }
        assertThat(Simulation.run(1, ALL_FAULTS, true).history()).isNotEqualTo(Simulation.run(2, ALL_FAULTS, true).history());
    }

    @Test
    void keepingTheHistoryDoesNotChangeTheRun() {
        for (long seed = 1; seed <= 50; seed++) {
            Simulation.Result quiet = Simulation.run(seed, ALL_FAULTS, false);
            Simulation.Result recorded = Simulation.run(seed, ALL_FAULTS, true);
            assertThat(recorded.events()).isEqualTo(quiet.events());
            assertThat(recorded.simulatedMicros()).isEqualTo(quiet.simulatedMicros());
        }
    }

    @Test
    void theCommandPrintsTheSameReplayTwice() {
        String first = simulate("--seed", "7", "--history");
        String second = simulate("--seed", "7", "--history");
        assertThat(first).isEqualTo(second).contains("schedule 7 passed").contains("POST /orders");
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine command = new CommandLine(new SimulateCommand(new PrintStream(new ByteArrayOutputStream())));
        command.setErr(new java.io.PrintWriter(err, true));
        assertThat(command.execute("--faults", "delay,earthquake")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown fault 'earthquake'").contains("delay, reorder");
        assertThat(command.execute("--schedules", "0")).isEqualTo(2);
        assertThat(command.execute("--plant", "NO_SUCH_BUG")).isEqualTo(2);
    }

    private static String simulate(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = new CommandLine(new SimulateCommand(new PrintStream(out, true, StandardCharsets.UTF_8))).execute(args);
        assertThat(exit).isZero();
        // The wall-clock figures of the last line differ between runs; everything else must not.
        return out.toString(StandardCharsets.UTF_8).replaceAll(" in [0-9.]+ s \\([0-9,]+ sagas/s\\)", "");
    }
}
