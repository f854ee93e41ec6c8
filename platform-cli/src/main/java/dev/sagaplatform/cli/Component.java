package dev.sagaplatform.cli;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Every process of the local platform, in start order. A component starts once the components it
 * depends on are ready; {@code down} stops them in reverse order.
 */
enum Component {

    POSTGRES("postgres", 15432, "--postgres-port", null, false),
    KAFKA("kafka", 9092, "--kafka-port", null, false),
    /** Only with {@code up --fault-proxy}: every service's connections to Kafka, PostgreSQL and other services pass through it. */
    FAULT_PROXY("fault-proxy", 8474, "--fault-proxy-port", null, false),
    /** The trace store (Zipkin server, in memory) the services export their spans to; optional, nothing waits for it. */
    ZIPKIN("zipkin", 9411, "--zipkin-port", null, false),
    PAYMENT_GATEWAY("payment-gateway", 8086, "--gateway-port", "payment_gateway", false),
    INVENTORY("inventory-service", 8083, "--inventory-port", "inventory_service", true),
    SAGA_ORCHESTRATOR("saga-orchestrator", 8084, "--orchestrator-port", "saga_orchestrator", true),
    PAYMENT("payment-service", 8082, "--payment-port", "payment_service", true),
    ORDER("order-service", 8081, "--order-port", "order_service", true),
    OUTBOX_RELAY("outbox-relay", 8085, "--relay-port", null, false),
    /** The operator console: reads the topics and calls the services' APIs; nothing waits for it. */
    SAGA_CONSOLE("saga-console", 8087, "--console-port", "saga_console", false);

    private final String id;
    private final int defaultPort;
    private final String portFlag;
    private final String database;
    private final boolean hasOutbox;

    Component(String id, int defaultPort, String portFlag, String database, boolean hasOutbox) {
        this.id = id;
        this.defaultPort = defaultPort;
        this.portFlag = portFlag;
        this.database = database;
        this.hasOutbox = hasOutbox;
    }

    /** Name in logs, pid files and status: the Maven module name for services. */
    String id() {
        return id;
    }

    int defaultPort() {
        return defaultPort;
    }

    String portFlag() {
        return portFlag;
    }

    /** The service's own database, or null. */
    String database() {
        return database;
    }

    /** Whether the relay publishes this service's outbox table. */
    boolean hasOutbox() {
        return hasOutbox;
    }

    /** A Spring Boot service of this repository (built as an {@code -exec} jar). */
    boolean isService() {
        return this != POSTGRES && this != KAFKA && this != FAULT_PROXY && this != ZIPKIN;
    }

    /**
     * The saga orchestrator and the console are optional: the platform runs without them while their jar does not exist
     * (or they fail to start). So is Zipkin: without it (no jar, or it failed to start) the services trace as before and
     * export nothing.
     */
    boolean isOptional() {
        return this == SAGA_ORCHESTRATOR || this == SAGA_CONSOLE || this == ZIPKIN;
    }

    /**
     * What must be ready before this component starts. Every service needs PostgreSQL (its database)
     * and Kafka; the relay also needs every service whose Flyway migrations create the outbox tables
     * and publications it reads. Services that call each other over HTTP (order → inventory and payment,
     * payment → gateway) do so per request, not at start-up, so they start side by side: on two cores
     * that is about 25 s faster than a chain, and {@code up} returns only once all of them are ready.
     */
    Set<Component> dependencies() {
        return switch (this) {
            case POSTGRES, KAFKA, FAULT_PROXY, ZIPKIN -> EnumSet.noneOf(Component.class);
            case PAYMENT_GATEWAY -> EnumSet.of(POSTGRES, FAULT_PROXY);
            case INVENTORY, SAGA_ORCHESTRATOR, PAYMENT, ORDER -> EnumSet.of(POSTGRES, KAFKA, FAULT_PROXY);
            case OUTBOX_RELAY -> EnumSet.of(POSTGRES, KAFKA, FAULT_PROXY, ORDER, PAYMENT, INVENTORY, SAGA_ORCHESTRATOR);
            // It creates the topics it reads where missing and finds the services when it calls them.
            case SAGA_CONSOLE -> EnumSet.of(POSTGRES, KAFKA, FAULT_PROXY);
        };
    }

    /** Key of this component's port in the run folder's settings. */
    String portKey() {
        return "port." + id;
    }

    static Component byId(String id) {
        for (Component component : values()) {
            if (component.id.equals(id.toLowerCase(Locale.ROOT))) {
                return component;
            }
        }
        throw new IllegalArgumentException("no component " + id);
    }
}
