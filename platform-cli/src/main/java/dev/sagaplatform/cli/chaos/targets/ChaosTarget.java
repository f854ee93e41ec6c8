package dev.sagaplatform.cli.chaos.targets;

import dev.sagaplatform.cli.chaos.experiment.Experiment;
import dev.sagaplatform.invariants.PlatformAccess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an experiment runs — the local platform, docker compose or Kubernetes — as the primitive
 * operations every fault is made of. {@link FaultPlan} composes them into faults and their undo, the
 * same way for every target.
 */
public interface ChaosTarget {

    String name();

    /** Refuses to start (with what to do) when the platform cannot run this experiment: not running, no fault proxy. */
    void preflight(Experiment experiment);

    Operation kill(String component);

    /** Starts the component if it is not running (resuming it first if it is paused) and waits until it is ready. */
    Operation start(String component);

    /** A graceful stop. */
    Operation stop(String component);

    Operation pause(String component);

    Operation resume(String component);

    /**
     * {@link #kill}, {@link #pause}, {@link #resume} and {@link #stop} on one instance of a service that runs several
     * ({@code target: {service: ..., replica: K}}, 1-based); {@code replica} null means every instance. Only the local
     * platform addresses single instances; elsewhere an operation with a replica fails when it runs.
     */
    default Operation kill(String component, Integer replica) {
        return replica == null ? kill(component) : noReplicas("kill", component, replica);
    }

    default Operation pause(String component, Integer replica) {
        return replica == null ? pause(component) : noReplicas("pause", component, replica);
    }

    default Operation resume(String component, Integer replica) {
        return replica == null ? resume(component) : noReplicas("resume", component, replica);
    }

    default Operation stop(String component, Integer replica) {
        return replica == null ? stop(component) : noReplicas("stop", component, replica);
    }

    /**
     * Restarts every instance of the component one at a time, gracefully, each ready again before the next stops. A
     * target without instances of its own to go through stops and starts the component.
     */
    default Operation rollingRestart(String component) {
        return Operation.sequence(List.of(stop(component), start(component)));
    }

    private Operation noReplicas(String what, String component, int replica) {
        return new Operation.Local(what + " replica " + replica + " of " + component, () -> {
            throw new IllegalStateException("the " + name() + " target does not address single instances (replica: " + replica
                    + "); only the local platform does");
        });
    }

    /** Adds a Toxiproxy toxic on the path from {@code service} to {@code peer}. */
    Operation addToxic(String service, String peer, Toxic toxic);

    Operation removeToxic(String service, String peer, String toxicName);

    /** Enables or disables the path (a disabled path refuses connections and cuts open ones). */
    Operation enablePath(String service, String peer, boolean enabled);

    /** Removes every toxic and enables every path of {@code service}, or of all services when null. */
    Operation healNetwork(String service);

    Operation gatewayFaults(String settingsJson);

    Operation healGateway();

    /** Waits (bounded) until the relay has work in flight, so that killing it lands mid-batch. */
    Operation awaitRelayBacklog(Duration atMost);

    Operation rewindConsumerGroup(String service, long messagesPerPartition);

    Operation publish(String topic, String payload, int count);

    /** The URL a probe means: in-cluster hosts and conventional paths ({@code /health}) resolved for this target. */
    URI resolve(String url);

    /** Each service's Prometheus scrape URL. */
    Map<String, URI> metricsEndpoints();

    /** How the invariant check and SQL probes read the platform, where this machine can reach its databases. */
    Optional<PlatformAccess> access();

    /** Waits until every component is ready again; lists those that are not when the time is up. */
    List<String> awaitHealthy(Duration atMost);

    /** The same target acting in another namespace (the k8s target; the others have none and ignore it). */
    default ChaosTarget inNamespace(String namespace) {
        return this;
    }

    /** Where background load goes ({@code ./platform load}'s order, payment and inventory addresses, broker, admin credentials). */
    dev.sagaplatform.cli.load.LoadTarget loadTarget();

    /** A Toxiproxy toxic. */
    record Toxic(String name, String type, String stream, double toxicity, Map<String, Object> attributes) {
    }
}
