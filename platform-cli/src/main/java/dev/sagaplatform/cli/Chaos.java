package dev.sagaplatform.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagaplatform.cli.chaos.experiment.ActionType;
import dev.sagaplatform.cli.chaos.experiment.Experiment;
import dev.sagaplatform.cli.chaos.experiment.ExperimentException;
import dev.sagaplatform.cli.chaos.experiment.ExperimentParser;
import dev.sagaplatform.cli.chaos.experiment.MetricWatch;
import dev.sagaplatform.cli.chaos.experiment.ProbeType;
import dev.sagaplatform.cli.chaos.run.ChaosRunner;
import dev.sagaplatform.cli.chaos.targets.ChaosTarget;
import dev.sagaplatform.cli.chaos.targets.ComposeTarget;
import dev.sagaplatform.cli.chaos.targets.KubernetesTarget;
import dev.sagaplatform.cli.load.LoadFixtures;
import dev.sagaplatform.cli.load.LoadResult;
import dev.sagaplatform.cli.load.LoadRun;
import dev.sagaplatform.cli.load.LoadSpec;
import dev.sagaplatform.cli.load.LoadTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./platform chaos run|validate|list}: chaos experiments from YAML files, with a verdict on the business invariants. */
@Command(name = "chaos", description = "Chaos experiments from YAML: break the running platform on purpose and get a verdict.",
        subcommands = {Chaos.Run.class, Chaos.Validate.class, Chaos.ListExperiments.class})
final class Chaos implements Runnable {

    /** The experiment library, relative to the repository root. */
    static final String LIBRARY = "chaos/experiments";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "run", description = {"Run experiments (files, or every *.yaml in a folder) against the platform.",
            "Prints a live timeline, writes a JSON journal and a Markdown report per experiment."},
            footer = {"", "Exit code: 0 only if, for every experiment, the steady-state hypothesis held before and after, every"
                    + " metric limit held and every business invariant holds; 1 otherwise; 2 when a file is invalid (nothing is touched)."})
    static final class Run implements Callable<Integer> {

        @Mixin
        PlatformCli.Location location = new PlatformCli.Location();
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Experiment files or folders, e.g. chaos/experiments/kill-payment-service.yaml")
        List<Path> files;
        @Option(names = "--target", defaultValue = "local", paramLabel = "T",
                description = "local (default: the ./platform processes), compose (docker compose + Toxiproxy) or k8s (kubectl).")
        String target;
        @Option(names = "--dry-run", description = "Validate and print every command, call and signal the run would issue; touch nothing.")
        boolean dryRun;
        @Option(names = "--journal", paramLabel = "FILE", description = "Where the JSON journal goes (one experiment only); the report is"
                + " written next to it as .md. Default: <run folder>/chaos/<time>-<experiment>/journal.json")
        Path journal;
        @Option(names = "--namespace", paramLabel = "NS", defaultValue = "saga-platform",
                description = "k8s target: the namespace when the experiment names none (default ${DEFAULT-VALUE}).")
        String namespace;
        @Option(names = "--compose-file", paramLabel = "FILE", defaultValue = "docker-compose.yml",
                description = "compose target: the compose file (default ${DEFAULT-VALUE}).")
        Path composeFile;

        @Override
        public Integer call() {
            List<Path> experiments = expand(files);
            List<Experiment> parsed = new ArrayList<>();
            if (!validateAll(experiments, parsed)) {
                return 2;
            }
            if (journal != null && parsed.size() > 1) {
                throw new CliException("--journal names one file, and " + parsed.size() + " experiments would run: leave it out.");
            }
            ChaosTarget chaosTarget = target(location, target, namespace, composeFile);
            ChaosRunner runner = new ChaosRunner(chaosTarget, loadDriver(chaosTarget), System.out);
            if (dryRun) {
                parsed.forEach(runner::dryRun);
                return 0;
            }
            // Everything that can refuse an experiment does so before the first one touches anything.
            for (int i = 0; i < parsed.size(); i++) {
                try {
                    chaosTarget.preflight(parsed.get(i));
                }
                catch (IllegalArgumentException ex) {
                    throw new CliException(experiments.get(i) + ": " + ex.getMessage());
                }
            }
            List<String> summary = new ArrayList<>();
            boolean allPassed = true;
            for (int i = 0; i < parsed.size(); i++) {
                Experiment experiment = parsed.get(i);
                try {
                    chaosTarget.preflight(experiment); // again: an earlier experiment may have left something down
                }
                catch (RuntimeException ex) {
                    allPassed = false;
                    summary.add(String.format(Locale.ROOT, "%-7s %-50s %s", "FAILED", experiments.get(i).getFileName(), "not run: " + ex.getMessage()));
                    System.out.println("FAILED (not run): " + experiments.get(i) + ": " + ex.getMessage());
                    continue;
                }
                System.out.println();
                System.out.println("=== " + experiment.title() + " (" + experiments.get(i) + ")");
                Path journalFile = journal != null ? journal : location.folder().root().resolve("chaos")
                        .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + slug(experiments.get(i)))
                        .resolve("journal.json");
                Path reportFile = journal != null ? journalFile.resolveSibling(journalFile.getFileName().toString().replaceFirst("\\.json$", "") + ".md")
                        : journalFile.resolveSibling("report.md");
                ChaosRunner.Outcome outcome = runner.run(experiment, journalFile, reportFile);
                allPassed &= outcome.passed();
                summary.add(String.format(Locale.ROOT, "%-7s %-50s %s", outcome.passed() ? "PASSED" : "FAILED", experiments.get(i).getFileName(),
                        outcome.report()));
            }
            if (parsed.size() > 1) {
                System.out.println();
                System.out.println("Summary:");
                summary.forEach(line -> System.out.println("  " + line));
            }
            return allPassed ? 0 : 1;
        }

        /** {@code ./platform load}'s open-loop generator as the runner's background load, aimed at the target. */
        private static ChaosRunner.LoadDriver loadDriver(ChaosTarget chaosTarget) {
            return (profile, longest) -> {
                LoadTarget loadTarget = chaosTarget.loadTarget();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
                LoadSpec spec = new LoadSpec(profile.rate(), longest, LoadSpec.FlowMix.parse(profile.flow()), 20, 10, 1, Duration.ofSeconds(90));
                new LoadFixtures(loadTarget, http).prepare(spec);
                LoadRun run = new LoadRun(spec, loadTarget, http, new PrintStream(OutputStream.nullOutputStream()), false);
                CompletableFuture<LoadResult> result = CompletableFuture.supplyAsync(run::run);
                return () -> {
                    run.stopSending();
                    LoadResult figures = result.join();
                    ObjectNode node = new ObjectMapper().valueToTree(figures);
                    node.remove("timeline");
                    node.put("summary", String.format(Locale.ROOT, "sent %d, accepted %d, refused %d, approved %d, rejected %d %s,"
                                    + " unfinished %d; saga p50 %.0f ms, p99 %.0f ms", figures.sent(), figures.accepted(), figures.refused().total(),
                            figures.approved(), figures.rejectedTotal(), figures.rejected(), figures.unfinished(),
                            figures.sagaMillis().p50(), figures.sagaMillis().p99()));
                    return node;
                };
            };
        }
    }

    @Command(name = "validate", description = "Check experiment files (or folders of them) without touching the platform.",
            footer = {"", "Exit code: 0 when every file is valid, 2 otherwise (each problem with its line)."})
    static final class Validate implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Experiment files or folders.")
        List<Path> files;

        @Override
        public Integer call() {
            List<Experiment> parsed = new ArrayList<>();
            boolean valid = validateAll(expand(files), parsed);
            if (valid) {
                System.out.println(parsed.size() + " experiment(s) valid.");
            }
            return valid ? 0 : 2;
        }
    }

    @Command(name = "list", description = "The experiment library (chaos/experiments), one line each; and what experiments can use.")
    static final class ListExperiments implements Callable<Integer> {

        @Mixin
        PlatformCli.Location location = new PlatformCli.Location();
        @Option(names = "--catalogue", description = "Also list every action, probe and metric an experiment can use.")
        boolean catalogue;

        @Override
        public Integer call() {
            Path library = location.projectRoot().resolve(LIBRARY);
            List<Path> experiments = expand(List.of(library));
            System.out.println("Experiments in " + library + ":");
            for (Path file : experiments) {
                try {
                    Experiment experiment = ExperimentParser.parse(Files.readString(file), file.getFileName().toString());
                    System.out.printf("  %-38s %s%n", file.getFileName(), experiment.title()
                            + (experiment.needsFaultProxy() ? "  [needs up --fault-proxy]" : ""));
                }
                catch (ExperimentException ex) {
                    System.out.printf("  %-38s INVALID: %s%n", file.getFileName(), ex.problems().get(0));
                }
                catch (IOException ex) {
                    System.out.printf("  %-38s unreadable: %s%n", file.getFileName(), ex.getMessage());
                }
            }
            System.out.println("Run one: ./platform chaos run " + LIBRARY + "/<file>  ·  all: ./platform chaos run " + LIBRARY);
            if (catalogue) {
                System.out.println();
                System.out.println("Actions:");
                for (ActionType type : ActionType.values()) {
                    System.out.printf("  %-24s %s%n", type.id(), type.describe());
                }
                System.out.println("Probes:");
                for (ProbeType type : ProbeType.values()) {
                    System.out.printf("  %-24s %s%n", type.id(), type.describe());
                }
                System.out.println("Metrics (metrics_to_watch, metric probes):");
                for (MetricWatch.Metric metric : MetricWatch.Metric.values()) {
                    System.out.printf("  %-24s %s%n", metric.id(), metric.describe());
                }
            }
            return 0;
        }
    }

    static ChaosTarget target(PlatformCli.Location location, String name, String namespace, Path composeFile) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "local" -> new LocalChaosTarget(location.platform(), System.out);
            case "compose" -> new ComposeTarget(composeFile, location.environment().get("PLATFORM_ADMIN_USER"),
                    location.environment().get("PLATFORM_ADMIN_PASSWORD"));
            case "k8s", "kubernetes" -> new KubernetesTarget(namespace, location.environment().get("PLATFORM_ADMIN_USER"),
                    location.environment().get("PLATFORM_ADMIN_PASSWORD"));
            default -> throw new CliException("--target " + name + ": local, compose or k8s");
        };
    }

    /** Files as given, folders as their *.yaml / *.yml files in name order. */
    static List<Path> expand(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> listing = Files.list(path)) {
                    listing.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().forEach(files::add);
                }
                catch (IOException ex) {
                    throw new CliException("Cannot list " + path + ": " + ex.getMessage());
                }
            }
            else if (Files.isRegularFile(path)) {
                files.add(path);
            }
            else {
                throw new CliException("No experiment file " + path + " (./platform chaos list shows the library).");
            }
        }
        return files;
    }

    /** Parses every file; prints each one's problems with their lines, and the notes (ignored keys) of valid ones. */
    static boolean validateAll(List<Path> files, List<Experiment> parsed) {
        boolean valid = true;
        for (Path file : files) {
            try {
                Experiment experiment = ExperimentParser.parse(Files.readString(file), file.toString());
                parsed.add(experiment);
                System.out.println("valid: " + file + " (" + experiment.shape().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " shape, "
                        + experiment.method().size() + " step(s))");
                experiment.notes().forEach(note -> System.out.println("  note: " + note));
            }
            catch (ExperimentException ex) {
                valid = false;
                System.out.println("INVALID: " + ex.getMessage());
            }
            catch (IOException ex) {
                valid = false;
                System.out.println("INVALID: " + file + ": cannot read it: " + ex.getMessage());
            }
        }
        return valid;
    }

    private static String slug(Path file) {
        return file.getFileName().toString().replaceFirst("\\.ya?ml$", "").replaceAll("[^A-Za-z0-9-]+", "-");
    }
}
