package dev.sagaplatform.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.cli.chaos.experiment.ActionType;
import dev.sagaplatform.cli.chaos.experiment.Activity;
import dev.sagaplatform.cli.chaos.experiment.Experiment;
import dev.sagaplatform.cli.chaos.experiment.ExperimentParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The experiment library (chaos/experiments): every file valid, and every fault of the catalogue exercised by one. */
class ChaosLibraryTest {

    private static final Path LIBRARY = Path.of(System.getProperty("platform.root", "..")).resolve("chaos/experiments");

    @Test
    void everyExperimentIsValidHasAHypothesisAndIgnoresNothing() throws Exception {
        List<Experiment> experiments = library();
        assertThat(experiments).hasSizeGreaterThanOrEqualTo(12);
        for (Experiment experiment : experiments) {
            assertThat(experiment.hypothesis()).as(experiment.title()).isNotBlank();
            assertThat(experiment.notes()).as(experiment.title() + ": keys the runner ignores").isEmpty();
        }
        assertThat(experiments).extracting(Experiment::shape).contains(Experiment.Shape.SHORT, Experiment.Shape.CHAOS_TOOLKIT);
    }

    @Test
    void everyFaultOfTheCatalogueHasAnExperiment() throws Exception {
        Set<ActionType> used = EnumSet.noneOf(ActionType.class);
        for (Experiment experiment : library()) {
            experiment.method().stream().map(Activity::action).filter(a -> a != null).forEach(used::add);
        }
        // The undo actions (start, heal-*), restart and rolling-restart (a deployment's routine) appear as rollbacks or not
        // at all: they are not faults.
        Set<ActionType> faults = EnumSet.complementOf(EnumSet.of(ActionType.START, ActionType.HEAL_NETWORK, ActionType.HEAL_GATEWAY,
                ActionType.RESTART, ActionType.ROLLING_RESTART));
        assertThat(used).containsAll(faults);
    }

    private static List<Experiment> library() throws Exception {
        List<Experiment> experiments = new ArrayList<>();
        try (Stream<Path> files = Files.list(LIBRARY)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                experiments.add(ExperimentParser.parse(Files.readString(file), file.getFileName().toString()));
            }
        }
        return experiments;
    }
}
