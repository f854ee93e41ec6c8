package dev.sagaplatform.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sagaplatform.cli.chaos.experiment.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where the fault proxy sits when the platform runs with it ({@code ./platform up --fault-proxy}): one
 * proxy per path a service uses — to Kafka, to PostgreSQL, to another service — each on its own local
 * port, named {@code <service>-to-<peer>} as in Toxiproxy. The ports are picked once and kept in the run
 * folder, so restarts reuse them.
 *
 * <p>With replicas ({@code up --replicas}), the instances of one service share its paths (a proxy takes many
 * connections), and a path to a service with several instances becomes one path per instance: instance 1 keeps
 * {@code order-service-to-inventory-service}, instance k is {@code order-service-to-inventory-service-k}.
 *
 * <p>Kafka needs more than a proxy in front of the bootstrap address: a client connects to the address
 * the broker <em>advertises</em>, so each service gets a broker listener of its own whose advertised
 * address is that service's proxy. Its traffic then never bypasses the proxy.
 */
final class FaultProxyLayout {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> listenPorts;
    private final Map<String, Integer> brokerListenerPorts;
    private final Replicas replicas;

    private FaultProxyLayout(Map<String, Integer> listenPorts, Map<String, Integer> brokerListenerPorts, Replicas replicas) {
        this.listenPorts = listenPorts;
        this.brokerListenerPorts = brokerListenerPorts;
        this.replicas = replicas;
    }

    static FaultProxyLayout of(RunFolder runFolder) {
        return of(runFolder, Replicas.SINGLE);
    }

    /** The name of the path from {@code service} to instance {@code ordinal} of {@code peer}. */
    static String pathName(String service, String peer, int ordinal) {
        return Services.proxyName(service, peer) + (ordinal == 1 ? "" : "-" + ordinal);
    }

    /** Every path from {@code service} to {@code peer}: one per instance of the peer. */
    static java.util.List<String> pathNames(String service, String peer, Replicas replicas) {
        Component to = Services.isService(peer) ? Component.byId(peer) : null;
        int count = to == null ? 1 : replicas.count(to);
        return java.util.stream.IntStream.rangeClosed(1, count).mapToObj(ordinal -> pathName(service, peer, ordinal)).toList();
    }

    /** The layout kept in the run folder, with a free port picked for every path not there yet (one per peer instance). */
    static FaultProxyLayout of(RunFolder runFolder, Replicas replicas) {
        return of(runFolder, replicas, java.util.Set.of());
    }

    /**
     * The same, never picking one of {@code claimed}: the ports the platform's processes are about to listen on, not bound
     * yet when the paths are picked.
     */
    static FaultProxyLayout of(RunFolder runFolder, Replicas replicas, java.util.Set<Integer> claimed) {
        java.nio.file.Path file = runFolder.root().resolve("fault-proxy.properties");
        Properties stored = RunFolder.load(file);
        boolean changed = false;
        Map<String, Integer> listen = new LinkedHashMap<>();
        Map<String, Integer> broker = new LinkedHashMap<>();
        for (var entry : Services.PEERS.entrySet()) {
            String service = entry.getKey();
            for (String peer : entry.getValue()) {
                for (String path : pathNames(service, peer, replicas)) {
                    String key = "listen." + path;
                    changed |= ensure(stored, key, claimed);
                    listen.put(path, Integer.parseInt(stored.getProperty(key)));
                }
            }
            if (entry.getValue().contains(Services.KAFKA)) {
                String key = "broker-listener." + service;
                changed |= ensure(stored, key, claimed);
                broker.put(service, Integer.parseInt(stored.getProperty(key)));
            }
        }
        if (changed) {
            RunFolder.store(file, stored, "Ports of the fault proxy's paths and of the broker's per-service listeners");
        }
        return new FaultProxyLayout(listen, broker, replicas);
    }

    private static boolean ensure(Properties stored, String key, java.util.Set<Integer> claimed) {
        if (stored.getProperty(key) != null) {
            return false;
        }
        // Below the ephemeral range (why: Tools.freePortBelowEphemeralRange), and none given to two paths.
        java.util.Set<String> taken = new java.util.HashSet<>(stored.stringPropertyNames().stream().map(stored::getProperty).toList());
        claimed.forEach(port -> taken.add(String.valueOf(port)));
        for (int attempt = 0; attempt < 100; attempt++) {
            String port = String.valueOf(Tools.freePortBelowEphemeralRange());
            if (!taken.contains(port)) {
                stored.setProperty(key, port);
                return true;
            }
        }
        throw new UncheckedIOException(new IOException("no free port for " + key));
    }

    /** The port {@code from} connects to for {@code to} (its first instance): its proxy's. */
    int port(Component from, Component to) {
        return port(from, Instance.first(to));
    }

    /** The port {@code from} connects to for one instance of {@code to}: that instance's path's. */
    int port(Component from, Instance to) {
        Integer port = listenPorts.get(pathName(from.id(), to.component().id(), to.ordinal()));
        if (port == null) {
            throw new IllegalArgumentException("no fault-proxy path " + from.id() + " -> " + to.id());
        }
        return port;
    }

    /** Toxiproxy's {@code -config} file: every path with its upstream on this machine. */
    String toxiproxyConfig(Map<Component, Integer> ports) {
        ArrayNode proxies = JSON.createArrayNode();
        for (var entry : Services.PEERS.entrySet()) {
            for (String peer : entry.getValue()) {
                java.util.List<String> paths = pathNames(entry.getKey(), peer, replicas);
                for (int ordinal = 1; ordinal <= paths.size(); ordinal++) {
                    String name = paths.get(ordinal - 1);
                    int upstream = Services.KAFKA.equals(peer) ? brokerListenerPorts.get(entry.getKey())
                            : new Instance(Component.byId(peer), ordinal).port(ports);
                    proxies.addObject().put("name", name).put("listen", "127.0.0.1:" + listenPorts.get(name))
                            .put("upstream", "127.0.0.1:" + upstream).put("enabled", true);
                }
            }
        }
        return proxies.toPrettyString();
    }

    /** Adds a listener per proxied service to the broker's properties, advertised as that service's proxy. */
    void addBrokerListeners(Properties broker) {
        StringBuilder listeners = new StringBuilder(broker.getProperty("listeners"));
        StringBuilder advertised = new StringBuilder(broker.getProperty("advertised.listeners"));
        StringBuilder protocols = new StringBuilder(broker.getProperty("listener.security.protocol.map"));
        brokerListenerPorts.forEach((service, port) -> {
            String name = service.toUpperCase(Locale.ROOT).replace('-', '_');
            listeners.append(',').append(name).append("://127.0.0.1:").append(port);
            advertised.append(',').append(name).append("://127.0.0.1:").append(listenPorts.get(Services.proxyName(service, Services.KAFKA)));
            protocols.append(',').append(name).append(":PLAINTEXT");
        });
        broker.put("listeners", listeners.toString());
        broker.put("advertised.listeners", advertised.toString());
        broker.put("listener.security.protocol.map", protocols.toString());
    }
}
