package dev.sagaplatform.cli.chaos.experiment;

import java.time.Duration;
import java.util.List;

/**
 * A validated chaos experiment, whichever shape its file had: what must hold before and after
 * (the steady-state probes), what is done (the method), what undoes it (the rollbacks), the load
 * kept on the platform meanwhile and the metric limits watched over the run.
 *
 * @param notes keys the runner ignores and other things the author should know, each with its line
 */
public record Experiment(String title, String description, Shape shape, String hypothesis, List<Activity> steadyState,
                         List<Activity> method, List<Activity> rollbacks, LoadProfile load, List<MetricWatch> metricsToWatch,
                         Duration settle, List<String> tags, List<String> notes) {

    /** The two file shapes accepted: Chaos Toolkit's, and the short one engineers write by hand. */
    public enum Shape {
        CHAOS_TOOLKIT, SHORT
    }

    /** Background orders during the method: {@code rate} per second (0 = none), flow as {@code ./platform load --flow}. */
    public record LoadProfile(double rate, String flow) {
    }

    public Experiment {
        steadyState = List.copyOf(steadyState);
        method = List.copyOf(method);
        rollbacks = List.copyOf(rollbacks);
        metricsToWatch = List.copyOf(metricsToWatch);
        tags = List.copyOf(tags);
        notes = List.copyOf(notes);
    }

    /** Whether any step needs the fault proxy (network faults). */
    public boolean needsFaultProxy() {
        return java.util.stream.Stream.concat(method.stream(), rollbacks.stream())
                .anyMatch(a -> a.action() != null && a.action().isNetworkFault());
    }

    /**
     * The method's planned length: the durations, downtimes and pauses of its foreground steps, plus a typical
     * restart (about 10 s on a two-core machine) for each step that starts a process again.
     */
    public Duration plannedMethodDuration() {
        Duration total = Duration.ZERO;
        for (Activity activity : method) {
            total = total.plus(activity.pauseBefore()).plus(activity.pauseAfter());
            if (activity.background() || activity.isProbe()) {
                continue;
            }
            if (activity.duration() != null) {
                total = total.plus(activity.duration());
            }
            total = total.plus(activity.durationArgument("restart_after", Duration.ZERO));
            if (java.util.Set.of(ActionType.KILL, ActionType.RESTART, ActionType.KILL_RELAY_MID_BATCH, ActionType.STOP_KAFKA,
                    ActionType.RESTART_POSTGRES, ActionType.REWIND_CONSUMER_GROUP).contains(activity.action())) {
                total = total.plusSeconds(10);
            }
            if (activity.action() == ActionType.ROLLING_RESTART) {
                total = total.plusSeconds(30); // each instance stops and is ready again before the next: a rough allowance
            }
        }
        return total;
    }
}
