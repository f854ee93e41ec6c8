package dev.sagaplatform.cli.load;

import java.net.URI;
import java.util.Objects;

/**
 * Where the load goes: the three services it calls, the Kafka broker it watches for outcomes, and
 * the admin credentials it needs to create its own customers and products.
 */
public record LoadTarget(URI orders, URI payments, URI inventory, String kafkaBootstrapServers,
                         String adminUser, String adminPassword) {

    public LoadTarget {
        Objects.requireNonNull(orders, "orders");
        Objects.requireNonNull(payments, "payments");
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
    }

    @Override
    public String toString() {
        return "LoadTarget[orders=" + orders + ", payments=" + payments + ", inventory=" + inventory
                + ", kafka=" + kafkaBootstrapServers + ", adminUser=" + adminUser + "]"; // never the password
    }
}
