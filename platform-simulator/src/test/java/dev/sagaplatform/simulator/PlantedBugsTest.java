package dev.sagaplatform.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.messaging.simulation.PlantedBug;
import dev.sagaplatform.messaging.simulation.PlantedBugs;
import dev.sagaplatform.simulator.world.Fault;
import dev.sagaplatform.simulator.world.Workload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The proof that the simulator bites: each known bug, switched on in the real code, is found within the CI budget,
 * its seed replays the same history byte for byte, and the shrunk schedule still fails.
 */
class PlantedBugsTest {

    @ParameterizedTest
    @EnumSource(PlantedBug.class)
    void eachPlantedBugIsFoundWithinTheBudgetAndItsSeedReplaysExactly(PlantedBug bug) {
        Simulation.Settings settings = new Simulation.Settings(EnumSet.allOf(Fault.class), PlantedBugs.of(List.of(bug)),
                Workload.MAX_ORDERS);
        SimulateCommand.Run run = SimulateCommand.run(SimulationBudgetTest.FIRST_SEED, SimulationBudgetTest.SCHEDULES,
                settings, false, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(run.failing()).as(bug + " found within " + SimulationBudgetTest.SCHEDULES + " schedules").isNotNull();
        long seed = run.failing().seed();
        Simulation.Result first = Simulation.run(seed, settings, true);
        Simulation.Result again = Simulation.run(seed, settings, true);
        assertThat(first.failure()).isEqualTo(run.failing().result().failure());
        assertThat(String.join("\n", again.history())).isEqualTo(String.join("\n", first.history()));
        assertThat(first.history()).last().asString().contains("VIOLATION");

        Shrinker.Failing shrunk = Shrinker.shrink(run.failing());
        assertThat(Simulation.run(shrunk.seed(), shrunk.settings(), false).passed()).as("the shrunk schedule fails").isFalse();
        assertThat(shrunk.settings().maxOrders()).isLessThanOrEqualTo(settings.maxOrders());

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SimulateCommand.report(run.failing(), false, new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("FAILED schedule with seed " + seed)
                .contains("replay: ./platform simulate --seed ")
                .contains("--plant " + bug)
                .contains("VIOLATION");
    }
}
