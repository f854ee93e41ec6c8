package dev.sagaplatform.cli.chaos.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The platform's components as experiments name them. Files written for a cluster name services by
 * their in-cluster host or a short form ({@code payment}, {@code payment-service.shop.svc.cluster.local},
 * {@code relay}, {@code postgresql}); all of them resolve to the one component id used everywhere else.
 */
public final class Services {

    public static final String ORDER = "order-service";
    public static final String PAYMENT = "payment-service";
    public static final String INVENTORY = "inventory-service";
    public static final String ORCHESTRATOR = "saga-orchestrator";
    public static final String RELAY = "outbox-relay";
    public static final String GATEWAY = "payment-gateway";
    public static final String KAFKA = "kafka";
    public static final String POSTGRES = "postgres";

    /** Every component an experiment may name, in the platform's start order. */
    public static final List<String> ALL = List.of(POSTGRES, KAFKA, GATEWAY, INVENTORY, ORCHESTRATOR, PAYMENT, ORDER, RELAY);

    /** The services whose own connections go through the fault proxy, with the peers each one talks to. */
    public static final Map<String, List<String>> PEERS = peers();

    private static final Map<String, String> ALIASES = aliases();

    private Services() {
    }

    private static Map<String, List<String>> peers() {
        Map<String, List<String>> peers = new LinkedHashMap<>();
        peers.put(ORDER, List.of(KAFKA, POSTGRES, INVENTORY, PAYMENT));
        peers.put(PAYMENT, List.of(KAFKA, POSTGRES, GATEWAY));
        peers.put(INVENTORY, List.of(KAFKA, POSTGRES));
        peers.put(ORCHESTRATOR, List.of(KAFKA, POSTGRES));
        peers.put(RELAY, List.of(KAFKA, POSTGRES));
        peers.put(GATEWAY, List.of(POSTGRES));
        return java.util.Collections.unmodifiableMap(peers);
    }

    private static Map<String, String> aliases() {
        Map<String, String> aliases = new LinkedHashMap<>();
        for (String id : ALL) {
            aliases.put(id, id);
        }
        aliases.put("order", ORDER);
        aliases.put("orders", ORDER);
        aliases.put("order-svc", ORDER);
        aliases.put("payment", PAYMENT);
        aliases.put("payments", PAYMENT);
        aliases.put("inventory", INVENTORY);
        aliases.put("stock", INVENTORY);
        aliases.put("orchestrator", ORCHESTRATOR);
        aliases.put("saga-orchestrator-service", ORCHESTRATOR);
        aliases.put("relay", RELAY);
        aliases.put("outbox", RELAY);
        aliases.put("debezium", RELAY);
        aliases.put("gateway", GATEWAY);
        aliases.put("payment-gateway-service", GATEWAY);
        aliases.put("kafka-broker", KAFKA);
        aliases.put("broker", KAFKA);
        aliases.put("postgresql", POSTGRES);
        aliases.put("database", POSTGRES);
        aliases.put("db", POSTGRES);
        return aliases;
    }

    /**
     * The component a name means: an id, a short form, or an in-cluster host name
     * ({@code payment-service.shop.svc.cluster.local}, {@code kafka-0.kafka}, ...).
     */
    public static Optional<String> resolve(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        String id = ALIASES.get(key);
        if (id == null && key.contains(".")) {
            id = ALIASES.get(key.substring(0, key.indexOf('.')));
        }
        if (id == null && key.matches(".+-\\d+")) {
            id = ALIASES.get(key.replaceFirst("-\\d+$", "")); // a StatefulSet pod: kafka-0, postgres-0
        }
        return Optional.ofNullable(id);
    }

    public static boolean isService(String id) {
        return !KAFKA.equals(id) && !POSTGRES.equals(id);
    }

    /** The fault proxy's name for one path, e.g. {@code order-service-to-kafka}. */
    public static String proxyName(String service, String peer) {
        return service + "-to-" + peer;
    }
}
