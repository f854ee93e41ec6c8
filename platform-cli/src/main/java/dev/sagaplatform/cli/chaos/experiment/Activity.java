package dev.sagaplatform.cli.chaos.experiment;

import java.time.Duration;
import java.util.Map;

/**
 * One step of an experiment: an action (a fault, or its undo) or a probe (a measurement, judged by its
 * tolerance in the steady-state hypothesis).
 *
 * @param action    the fault, for actions; null for probes
 * @param probe     the probe, for probes; null for actions
 * @param service   the component acted on or probed, as a component id, or null
 * @param peer      for network faults, the other end of the path (kafka, postgres or a service id)
 * @param arguments typed values: {@link Duration}, {@link Double}, {@link Boolean}, {@link String} or a list of statuses
 * @param line      where it starts in the file
 */
public record Activity(String name, ActionType action, ProbeType probe, String service, String peer, String namespace,
                       Map<String, Object> arguments, Duration duration, Tolerance tolerance, boolean background,
                       Duration pauseBefore, Duration pauseAfter, int line) {

    public Activity {
        arguments = Map.copyOf(arguments);
    }

    public boolean isProbe() {
        return probe != null;
    }

    public String type() {
        return action != null ? action.id() : probe.id();
    }

    public Duration durationArgument(String key, Duration fallback) {
        return arguments.get(key) instanceof Duration value ? value : fallback;
    }

    public double number(String key, double fallback) {
        return arguments.get(key) instanceof Double value ? value : fallback;
    }

    public boolean flag(String key, boolean fallback) {
        return arguments.get(key) instanceof Boolean value ? value : fallback;
    }

    /** The one instance acted on ({@code target: {replica: K}}, 1-based), or null for every instance. */
    public Integer replica() {
        return arguments.get("replica") instanceof Integer value ? value : null;
    }

    public String text(String key, String fallback) {
        return arguments.get(key) instanceof String value ? value : fallback;
    }

    /** One line for timelines and reports, e.g. {@code latency order-service -> kafka (latency=300ms) for 30s}. */
    public String describe() {
        StringBuilder text = new StringBuilder(type());
        if (service != null) {
            text.append(' ').append(service);
        }
        if (peer != null) {
            text.append(" -> ").append(peer);
        }
        if (!arguments.isEmpty()) {
            text.append(" ").append(new java.util.TreeMap<>(arguments).toString().replace('{', '(').replace('}', ')')
                    .replaceAll("PT([0-9.]+)S", "$1s"));
        }
        if (duration != null) {
            text.append(" for ").append(Durations.format(duration));
        }
        return text.toString();
    }
}
