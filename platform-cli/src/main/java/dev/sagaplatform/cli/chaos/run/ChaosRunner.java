package dev.sagaplatform.cli.chaos.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagaplatform.cli.chaos.experiment.Activity;
import dev.sagaplatform.cli.chaos.experiment.Durations;
import dev.sagaplatform.cli.chaos.experiment.Experiment;
import dev.sagaplatform.cli.chaos.experiment.MetricWatch;
import dev.sagaplatform.cli.chaos.targets.ChaosTarget;
import dev.sagaplatform.cli.chaos.targets.FaultPlan;
import dev.sagaplatform.cli.chaos.targets.Operation;
import dev.sagaplatform.invariants.InvariantCheck;
import dev.sagaplatform.invariants.Violation;
import dev.sagaplatform.contracts.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs one experiment: the steady-state hypothesis, background load, the method's faults (each undone
 * when its time is up), the rollbacks, the hypothesis again once the platform is healthy, the metric
 * watches, and the verdict on the business invariants. Everything it does is printed as a timeline and
 * recorded in a JSON journal (Chaos Toolkit's journal in spirit) and a Markdown report.
 *
 * <p>Every fault it injected is undone whatever happens — after a failed step, on a timeout, on Ctrl-C
 * (from a shutdown hook) — because the undo of each fault is registered before the fault is injected.
 */
public final class ChaosRunner {

    /** How long the platform may take to be healthy again after the rollbacks. */
    static final Duration HEALTHY_TIMEOUT = Duration.ofMinutes(4);
    /** Load starts this long before the method, so the faults land on sagas in flight. */
    static final Duration LEAD_IN = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Starts background load that goes on until it is stopped (or {@code longest} has passed). */
    @FunctionalInterface
    public interface LoadDriver {
        RunningLoad start(Experiment.LoadProfile profile, Duration longest);
    }

    /** Background load under way. */
    @FunctionalInterface
    public interface RunningLoad {
        /** Stops sending, waits for the orders sent to end (or time out) and returns the figures. */
        ObjectNode stopAndCollect();
    }

    /**
     * The background load lasts as long as the method, however long its restarts take (a planned length undercounts a
     * restart under load, and the faults after it would land on no sagas), plus {@link #LOAD_TAIL}; at most this much
     * beyond the planned length.
     */
    static final Duration LOAD_OVERRUN = Duration.ofMinutes(10);
    /** Load goes on this long after the method, so sagas are in flight while the platform recovers. */
    static final Duration LOAD_TAIL = Duration.ofSeconds(5);

    public record Outcome(boolean passed, String status, Path journal, Path report) {
    }

    private final ChaosTarget target;
    private final LoadDriver load;
    private final PrintStream out;
    private final Deque<Pending> pendingUndo = new ArrayDeque<>();
    /**
     * Held while a fault is registered and injected, and while faults are undone: Ctrl-C's hook takes it, so a
     * fault is either not injected at all or injected with its undo registered, never in between.
     */
    private final Object faults = new Object();
    private volatile boolean stopping;
    private boolean rollbacksRun;
    private long begin;
    private ArrayNode timeline = JSON.createArrayNode();

    private record Pending(String what, List<Operation> undo) {
    }

    public ChaosRunner(ChaosTarget target, LoadDriver load, PrintStream out) {
        this.target = target;
        this.load = load;
        this.out = out;
    }

    /** Prints what each step would do on this target, touching nothing. */
    public void dryRun(Experiment experiment) {
        out.println("Dry run of \"" + experiment.title() + "\" on the " + target.name() + " target: nothing is touched.");
        out.println("Load during the method: " + describe(experiment.load()));
        printPlan("method", experiment.method());
        printPlan("rollbacks", experiment.rollbacks());
        out.println("Then: wait until healthy, the hypothesis again, metrics " + experiment.metricsToWatch().stream().map(MetricWatch::text).toList()
                + ", the invariants (settle up to " + Durations.format(experiment.settle()) + ").");
    }

    private void printPlan(String section, List<Activity> activities) {
        out.println(section + ":");
        for (Activity activity : activities) {
            out.println("  - " + activity.name() + ": " + activity.describe() + (activity.background() ? " (in the background)" : ""));
            if (activity.isProbe()) {
                out.println("      probe " + activity.type() + " " + activity.arguments());
                continue;
            }
            FaultPlan plan = FaultPlan.of(activity, target);
            plan.inject().forEach(op -> out.println("      " + op.describe()));
            if (!plan.undo().isEmpty()) {
                out.println("      " + (plan.hold() == null ? "at the rollbacks:" : "after " + Durations.format(plan.hold()) + ":"));
                plan.undo().forEach(op -> out.println("      " + op.describe()));
            }
        }
    }

    public Outcome run(Experiment experiment, Path journalFile, Path reportFile) {
        begin = System.nanoTime();
        ObjectNode journal = JSON.createObjectNode();
        journal.put("title", experiment.title());
        journal.put("description", experiment.description());
        journal.put("shape", experiment.shape().name());
        journal.put("hypothesis", experiment.hypothesis());
        journal.put("target", target.name());
        journal.put("start", Instant.now().toString());
        ArrayNode notes = journal.putArray("notes");
        experiment.notes().forEach(notes::add);
        timeline = journal.putArray("run");
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        Thread runner = Thread.currentThread();
        stopping = false;
        rollbacksRun = false;
        Thread hook = new Thread(() -> {
            if (finished.get()) {
                return;
            }
            out.println("Interrupted: running the rollbacks and undoing every fault still in place, then writing the journal...");
            stopping = true;
            runner.interrupt();
            synchronized (faults) {
                rollbacks(experiment);
            }
            ObjectNode copy = null;
            for (int attempt = 0; copy == null && attempt < 5; attempt++) {
                try {
                    copy = journal.deepCopy(); // the runner thread may still be adding to it
                }
                catch (java.util.ConcurrentModificationException ex) {
                    Thread.onSpinWait();
                }
            }
            if (copy != null) {
                copy.put("status", "interrupted");
                copy.put("passed", false);
                write(copy, journalFile, reportFile);
                out.println("Journal: " + journalFile);
            }
        }, "chaos-rollback-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        String status = "completed";
        boolean passed = true;
        try (MetricSampler sampler = new MetricSampler(target.metricsEndpoints())) {
            Probes probes = new Probes(target, sampler);
            sampler.start();
            long experimentStart = System.nanoTime();
            Map<TopicPartition, Long> deadLettersBefore = deadLetterOffsets();

            log("steady-state hypothesis before: " + (experiment.hypothesis().isBlank() ? "(no title)" : experiment.hypothesis()));
            boolean before = steadyState(experiment, probes, journal.putObject("steady_state_before"));
            if (!before) {
                log("the hypothesis did not hold before anything was done: the experiment stops here, nothing was touched");
                status = "aborted";
                passed = false;
            }
            else {
                passed = methodAndAfter(experiment, probes, sampler, experimentStart, deadLettersBefore, journal) && passed;
                status = journal.path("status").asText(status);
            }
        }
        catch (RuntimeException ex) {
            log("the run failed: " + ex.getMessage());
            journal.put("error", String.valueOf(ex));
            status = stopping ? "interrupted" : "failed";
            passed = false;
        }
        finally {
            synchronized (faults) {
                rollbacks(experiment);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (IllegalStateException ex) {
                // already shutting down: the hook is running
            }
        }
        return finish(experiment, journal, status, passed, finished, journalFile, reportFile);
    }

    /**
     * The method, the rollbacks, the hypothesis after, the metrics and the verdict; false when any of them failed.
     * A failed step is recorded as the journal's status.
     */
    private boolean methodAndAfter(Experiment experiment, Probes probes, MetricSampler sampler, long experimentStart,
                                   Map<TopicPartition, Long> deadLettersBefore, ObjectNode journal) {
        boolean passed = true;
        RunningLoad loadResult = null;
        if (experiment.load().rate() > 0) {
            Duration planned = LEAD_IN.plus(experiment.plannedMethodDuration()).plus(LOAD_TAIL);
            log("background load: " + describe(experiment.load()) + " until " + Durations.format(LOAD_TAIL)
                    + " after the method (planned about " + Durations.format(planned) + ")");
            loadResult = load.start(experiment.load(), planned.plus(LOAD_OVERRUN));
            sleep(LEAD_IN);
        }
        if (!method(experiment, probes)) {
            journal.put("status", "failed");
            passed = false;
        }
        synchronized (faults) {
            rollbacks(experiment);
        }
        if (loadResult != null) {
            sleep(LOAD_TAIL);
            log("waiting for the background load to end");
            ObjectNode figures = loadResult.stopAndCollect();
            journal.set("load", figures);
            log("load: " + figures.path("summary").asText(""));
        }
        log("waiting (at most " + HEALTHY_TIMEOUT.toMinutes() + " min) until every component is ready again");
        List<String> notReady = target.awaitHealthy(HEALTHY_TIMEOUT);
        if (!notReady.isEmpty()) {
            log("not ready after " + HEALTHY_TIMEOUT.toMinutes() + " min: " + notReady);
            journal.putArray("not_ready").addAll(notReady.stream().map(journal::textNode).toList());
            passed = false;
        }
        log("steady-state hypothesis after");
        if (!steadyState(experiment, probes, journal.putObject("steady_state_after"))) {
            passed = false;
        }
        sampler.sampleNow();
        if (!watchMetrics(experiment, sampler, experimentStart, deadLettersBefore, journal.putArray("metrics_to_watch"))) {
            passed = false;
        }
        if (!verdict(experiment, journal.putObject("invariants"))) {
            passed = false;
        }
        return passed;
    }

    private Outcome finish(Experiment experiment, ObjectNode journal, String status, boolean passed,
                           java.util.concurrent.atomic.AtomicBoolean finished, Path journalFile, Path reportFile) {
        finished.set(true);
        journal.put("status", status);
        journal.put("deviated", !passed);
        journal.put("passed", passed);
        journal.put("end", Instant.now().toString());
        journal.put("duration_seconds", (System.nanoTime() - begin) / 1e9);
        write(journal, journalFile, reportFile);
        out.println();
        out.println((passed ? "PASSED" : "FAILED") + ": \"" + experiment.title() + "\" (" + status + ") in "
                + String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - begin) / 1e9));
        out.println("Journal: " + journalFile + "  ·  report: " + reportFile);
        return new Outcome(passed, status, journalFile, reportFile);
    }

    private boolean steadyState(Experiment experiment, Probes probes, ObjectNode record) {
        boolean met = true;
        ArrayNode results = record.putArray("probes");
        for (Activity probe : experiment.steadyState()) {
            Probes.Result result = probes.take(probe);
            boolean ok = result.ok() == null || result.ok();
            met &= ok;
            log("  probe " + probe.name() + ": " + result.detail() + (probe.tolerance() == null ? "" : " (tolerance " + probe.tolerance().describe()
                    + ") " + (ok ? "ok" : "NOT MET")));
            ObjectNode entry = results.addObject();
            entry.put("name", probe.name());
            entry.put("type", probe.type());
            entry.put("line", probe.line());
            entry.put("output", result.detail());
            entry.put("tolerance", probe.tolerance() == null ? null : probe.tolerance().describe());
            entry.put("tolerance_met", ok);
        }
        record.put("steady_state_met", met);
        return met;
    }

    private boolean method(Experiment experiment, Probes probes) {
        List<CompletableFuture<Boolean>> background = new ArrayList<>();
        boolean ok = true;
        for (Activity activity : experiment.method()) {
            sleep(activity.pauseBefore());
            if (activity.background()) {
                background.add(CompletableFuture.supplyAsync(() -> act(activity, probes)));
            }
            else if (!act(activity, probes)) {
                ok = false;
                log("a step failed: the method stops here; the rollbacks run");
                break;
            }
            sleep(activity.pauseAfter());
        }
        for (CompletableFuture<Boolean> future : background) {
            try {
                ok &= future.get(ExperimentLimits.BACKGROUND_JOIN.toSeconds(), TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", ex);
            }
            catch (Exception ex) {
                log("a background step did not end in time: " + ex);
                ok = false;
            }
        }
        return ok;
    }

    /** One activity of the method or the rollbacks; false when it failed (never throws, except when the run is interrupted). */
    private boolean act(Activity activity, Probes probes) {
        ObjectNode entry;
        synchronized (timeline) {
            entry = timeline.addObject();
        }
        entry.put("name", activity.name());
        entry.put("type", activity.isProbe() ? "probe" : "action");
        entry.put("activity", activity.describe());
        entry.put("line", activity.line());
        entry.put("start_seconds", elapsed());
        try {
            if (activity.isProbe()) {
                Probes.Result result = probes.take(activity);
                log("probe " + activity.name() + ": " + result.detail());
                entry.put("output", result.detail());
                entry.put("status", "succeeded");
                return true;
            }
            FaultPlan plan = FaultPlan.of(activity, target);
            Pending pending = new Pending(activity.describe(), plan.undo());
            synchronized (faults) {
                if (stopping) {
                    entry.put("status", "skipped: interrupted");
                    return false;
                }
                // Registered before the fault exists: whatever happens next, its undo runs.
                if (!plan.undo().isEmpty()) {
                    synchronized (pendingUndo) {
                        pendingUndo.push(pending);
                    }
                }
                log("action " + activity.describe());
                for (Operation operation : plan.inject()) {
                    log("  " + operation.describe());
                    operation.run();
                }
            }
            if (plan.hold() != null && !plan.undo().isEmpty()) {
                if (!plan.hold().isZero()) {
                    log("  holding for " + Durations.format(plan.hold()));
                    sleep(plan.hold());
                }
                synchronized (faults) {
                    runUndo(pending);
                }
            }
            entry.put("status", "succeeded");
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        catch (Exception ex) {
            if (stopping) {
                throw new IllegalStateException("interrupted", ex);
            }
            log("  FAILED: " + ex.getMessage());
            entry.put("status", "failed");
            entry.put("exception", String.valueOf(ex.getMessage()));
            return false;
        }
        finally {
            entry.put("end_seconds", elapsed());
        }
    }

    /** Runs every operation of an undo, even after one fails; throws the failures together. Call with {@link #faults} held. */
    private void runUndo(Pending pending) {
        synchronized (pendingUndo) {
            if (!pendingUndo.remove(pending)) {
                return; // already undone
            }
        }
        log("undo " + pending.what());
        ObjectNode entry;
        synchronized (timeline) {
            entry = timeline.addObject();
        }
        entry.put("name", "undo").put("type", "undo").put("activity", pending.what()).put("start_seconds", elapsed());
        List<String> failures = new ArrayList<>();
        for (Operation operation : pending.undo()) {
            log("  " + operation.describe());
            try {
                operation.run();
            }
            catch (InterruptedException ex) {
                // Ctrl-C while undoing: keep undoing, the interrupt is for the method.
                failures.add(operation.describe() + ": interrupted");
            }
            catch (Exception ex) {
                log("  undo step FAILED: " + ex.getMessage());
                failures.add(operation.describe() + ": " + ex.getMessage());
            }
        }
        entry.put("status", failures.isEmpty() ? "succeeded" : "failed").put("end_seconds", elapsed());
        if (!failures.isEmpty()) {
            entry.put("exception", String.join("; ", failures));
        }
    }

    /**
     * The experiment's own rollbacks (once), then the undo of every fault still in place, newest first. Always
     * runs: after the method, after a failure, and from Ctrl-C's hook. Call with {@link #faults} held.
     */
    private void rollbacks(Experiment experiment) {
        if (!rollbacksRun) {
            rollbacksRun = true;
            if (!experiment.rollbacks().isEmpty()) {
                log("rollbacks");
            }
            boolean wasStopping = stopping;
            stopping = false; // rollbacks run even when interrupted
            try {
                for (Activity activity : experiment.rollbacks()) {
                    if (!act(activity, null)) {
                        log("a rollback failed; the others still run");
                    }
                }
            }
            finally {
                stopping = wasStopping;
            }
        }
        while (true) {
            Pending pending;
            synchronized (pendingUndo) {
                pending = pendingUndo.peek();
            }
            if (pending == null) {
                return;
            }
            runUndo(pending);
        }
    }

    private boolean watchMetrics(Experiment experiment, MetricSampler sampler, long since, Map<TopicPartition, Long> deadLettersBefore,
                                 ArrayNode record) {
        boolean all = true;
        if (!experiment.metricsToWatch().isEmpty()) {
            log("metrics over the experiment");
        }
        for (MetricWatch watch : experiment.metricsToWatch()) {
            MetricSampler.Reading reading;
            if (watch.metric() == MetricWatch.Metric.DEAD_LETTERS) {
                Map<TopicPartition, Long> after = deadLetterOffsets();
                if (deadLettersBefore == null || after == null) {
                    reading = new MetricSampler.Reading(Double.NaN, "the dead-letter topics could not be read");
                }
                else {
                    long written = after.entrySet().stream().mapToLong(e -> e.getValue() - deadLettersBefore.getOrDefault(e.getKey(), 0L)).sum();
                    reading = new MetricSampler.Reading(written, "records added to the .DLT topics");
                }
            }
            else {
                reading = sampler.evaluate(watch, since);
            }
            boolean holds = !Double.isNaN(reading.value()) && watch.holds(reading.value());
            all &= holds;
            String shown = watch.metric().unit() == MetricWatch.Unit.RATIO ? String.format(Locale.ROOT, "%.2f%%", reading.value() * 100)
                    : watch.metric().unit() == MetricWatch.Unit.MILLIS ? String.format(Locale.ROOT, "%.0f ms", reading.value())
                    : String.format(Locale.ROOT, "%.0f", reading.value());
            log("  " + watch.text() + ": " + shown + (reading.note() == null ? "" : " (" + reading.note() + ")") + " -> " + (holds ? "holds" : "VIOLATED"));
            record.addObject().put("expression", watch.text()).put("line", watch.line()).put("value", reading.value())
                    .put("shown", shown).put("note", reading.note()).put("holds", holds);
        }
        return all;
    }

    private boolean verdict(Experiment experiment, ObjectNode record) {
        Optional<dev.sagaplatform.invariants.PlatformAccess> access = target.access();
        if (access.isEmpty()) {
            log("invariants: the " + target.name() + " target gives this machine no access to the databases; run ./platform verify where it has");
            record.put("checked", false);
            return true;
        }
        log("invariants: waiting (at most " + Durations.format(experiment.settle()) + ") for sagas in flight, then checking");
        InvariantCheck.Verdict verdict = new InvariantCheck(access.get(), line -> log("  " + line)).check(experiment.settle());
        record.put("checked", true);
        record.put("holds", verdict.holds());
        ObjectNode counts = record.putObject("counts");
        verdict.counts().forEach(counts::put);
        ArrayNode violations = record.putArray("violations");
        for (Violation violation : verdict.violations()) {
            ObjectNode entry = violations.addObject();
            entry.put("invariant", violation.invariant());
            entry.put("message", violation.message());
            violation.orderIds().forEach(entry.withArray("orders")::add);
            violation.rows().forEach(entry.withArray("rows")::add);
        }
        StringBuilder countText = new StringBuilder();
        verdict.counts().forEach((what, count) -> countText.append(countText.length() == 0 ? "" : ", ").append(count).append(' ').append(what));
        log("  checked " + countText);
        if (verdict.holds()) {
            log("  every invariant holds");
        }
        else {
            verdict.violations().forEach(violation -> log("  VIOLATION " + violation));
        }
        return verdict.holds();
    }

    /** End offsets of every dead-letter topic; null when they cannot be read. */
    private Map<TopicPartition, Long> deadLetterOffsets() {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        boolean[] failed = {target.access().isEmpty()};
        target.access().ifPresent(access -> {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, access.kafkaBootstrapServers()))) {
                var dlts = admin.listTopics().names().get(15, TimeUnit.SECONDS).stream()
                        .filter(topic -> Topics.ALL.stream().anyMatch(t -> Topics.deadLetter(t).equals(topic))).toList();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(dlts).allTopicNames().get(15, TimeUnit.SECONDS).forEach((topic, description) ->
                        description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS).forEach((partition, info) -> offsets.put(partition, info.offset()));
            }
            catch (Exception ex) {
                log("could not read the dead-letter topics: " + ex + (ex.getCause() == null ? "" : " (" + ex.getCause() + ")"));
                failed[0] = true;
            }
        });
        return failed[0] ? null : offsets;
    }

    private void write(ObjectNode journal, Path journalFile, Path reportFile) {
        try {
            if (journalFile.toAbsolutePath().getParent() != null) {
                Files.createDirectories(journalFile.toAbsolutePath().getParent());
            }
            JSON.writeValue(journalFile.toFile(), journal);
            Files.writeString(reportFile, Report.markdown(journal));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("could not write " + journalFile + ": " + ex.getMessage(), ex);
        }
    }

    private static String describe(Experiment.LoadProfile profile) {
        return profile.rate() == 0 ? "none" : profile.rate() + " orders/s, flow " + profile.flow();
    }

    private double elapsed() {
        return Math.round((System.nanoTime() - begin) / 1e8) / 10.0;
    }

    private void log(String line) {
        synchronized (out) {
            out.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - begin) / 1e9, line);
        }
    }

    private static void sleep(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    /** Bounds that keep every run finite. */
    static final class ExperimentLimits {
        static final Duration BACKGROUND_JOIN = Duration.ofMinutes(15);

        private ExperimentLimits() {
        }
    }
}
