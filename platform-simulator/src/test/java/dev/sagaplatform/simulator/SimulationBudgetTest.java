package dev.sagaplatform.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.messaging.simulation.PlantedBugs;
import dev.sagaplatform.simulator.world.Fault;
import dev.sagaplatform.simulator.world.Workload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The budget {@code ./mvnw verify} spends on the simulator: a fixed run of schedules with every kind of fault, in
 * which the platform's business code must keep every invariant. A failure names its seed; replay it with
 * {@code ./platform simulate --seed <seed> ...} as printed.
 */
@Tag(SimulationBudgetTest.TAG)
class SimulationBudgetTest {

    /** Left out of the fast set ({@code -Pfast}): 50,000 schedules take about 20 s. */
    static final String TAG = "simulation-budget";


    /** The CI budget (issue: at least 50,000 schedules, under 2 minutes). */
    static final int SCHEDULES = 50_000;
    /** Fixed, so that every build runs the same schedules; the long runs of docs/simulation.md use other seeds. */
    static final long FIRST_SEED = 20_261_201L;

    @Test
    void theBudgetedSchedulesKeepEveryInvariant() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Simulation.Settings settings = new Simulation.Settings(EnumSet.allOf(Fault.class), PlantedBugs.NONE,
                Workload.MAX_ORDERS);
        SimulateCommand.Run run = SimulateCommand.run(FIRST_SEED, SCHEDULES, settings, false,
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        String report = "";
        if (run.failing() != null) {
            ByteArrayOutputStream failure = new ByteArrayOutputStream();
            SimulateCommand.report(run.failing(), false, new PrintStream(failure, true, StandardCharsets.UTF_8));
            report = failure.toString(StandardCharsets.UTF_8);
        }
        assertThat(run.failing()).as(report).isNull();
        assertThat(run.schedules()).isEqualTo(SCHEDULES);
        System.out.printf("simulated %,d schedules, %,d sagas, %,d events in %.1f s (%,.0f sagas/s)%n", run.schedules(),
                run.sagas(), run.events(), run.seconds(), run.sagas() / run.seconds());
    }
}
