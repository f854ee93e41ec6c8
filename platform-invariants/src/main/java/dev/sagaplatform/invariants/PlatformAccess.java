package dev.sagaplatform.invariants;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the invariant check reaches a running platform: each service's own database (read only) and the
 * Kafka bootstrap servers. The local platform, docker compose and the end-to-end tests each build one.
 *
 * @param orchestrator whether the saga-orchestrator runs (its database is then checked too)
 */
public record PlatformAccess(Databases databases, String kafkaBootstrapServers, boolean orchestrator) {

    public static final String ORDER = "order-service";
    public static final String PAYMENT = "payment-service";
    public static final String INVENTORY = "inventory-service";
    public static final String ORCHESTRATOR = "saga-orchestrator";
    public static final String GATEWAY = "payment-gateway";

    /** A service's own database by service id ({@code order-service}, ..., {@code payment-gateway}). */
    @FunctionalInterface
    public interface Databases {
        Connection open(String service) throws SQLException;
    }
}
