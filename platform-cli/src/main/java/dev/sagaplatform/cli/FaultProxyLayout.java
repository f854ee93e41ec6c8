package dev.sagaplatform.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sagaplatform.cli.chaos.experiment.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
 * <p>Kafka needs more than a proxy in front of the bootstrap address: a client connects to the address
 * the broker <em>advertises</em>, so each service gets a broker listener of its own whose advertised
 * address is that service's proxy. Its traffic then never bypasses the proxy.
 */
final class FaultProxyLayout {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> listenPorts;
    private final Map<String, Integer> brokerListenerPorts;

    private FaultProxyLayout(Map<String, Integer> listenPorts, Map<String, Integer> brokerListenerPorts) {
        this.listenPorts = listenPorts;
        this.brokerListenerPorts = brokerListenerPorts;
    }

    /** The layout kept in the run folder, with a free port picked for every path not there yet. */
    static FaultProxyLayout of(RunFolder runFolder) {
        java.nio.file.Path file = runFolder.root().resolve("fault-proxy.properties");
        Properties stored = RunFolder.load(file);
        boolean changed = false;
        Map<String, Integer> listen = new LinkedHashMap<>();
        Map<String, Integer> broker = new LinkedHashMap<>();
        for (var entry : Services.PEERS.entrySet()) {
            String service = entry.getKey();
            for (String peer : entry.getValue()) {
                String key = "listen." + Services.proxyName(service, peer);
                changed |= ensure(stored, key);
                listen.put(Services.proxyName(service, peer), Integer.parseInt(stored.getProperty(key)));
            }
            if (entry.getValue().contains(Services.KAFKA)) {
                String key = "broker-listener." + service;
                changed |= ensure(stored, key);
                broker.put(service, Integer.parseInt(stored.getProperty(key)));
            }
        }
        if (changed) {
            RunFolder.store(file, stored, "Ports of the fault proxy's paths and of the broker's per-service listeners");
        }
        return new FaultProxyLayout(listen, broker);
    }

    private static boolean ensure(Properties stored, String key) {
        if (stored.getProperty(key) != null) {
            return false;
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            stored.setProperty(key, String.valueOf(socket.getLocalPort()));
            return true;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("no free port for " + key, ex);
        }
    }

    /** The port {@code from} connects to for {@code to}: its proxy's. */
    int port(Component from, Component to) {
        Integer port = listenPorts.get(Services.proxyName(from.id(), to.id()));
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
                String name = Services.proxyName(entry.getKey(), peer);
                int upstream = Services.KAFKA.equals(peer) ? brokerListenerPorts.get(entry.getKey()) : ports.get(Component.byId(peer));
                proxies.addObject().put("name", name).put("listen", "127.0.0.1:" + listenPorts.get(name))
                        .put("upstream", "127.0.0.1:" + upstream).put("enabled", true);
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
