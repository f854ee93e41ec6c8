package dev.sagaplatform.cli.load;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Where the load goes: the three services it calls, the Kafka broker it watches for outcomes, and
 * the admin credentials it needs to create its own customers and products.
 *
 * @param orders         order-service (its first instance), for everything but placing orders
 * @param orderInstances every order-service instance: orders are placed on them in turn ({@code up --replicas})
 */
public record LoadTarget(URI orders, URI payments, URI inventory, String kafkaBootstrapServers,
                         String adminUser, String adminPassword, List<URI> orderInstances) {

    /** One order-service address. */
    public LoadTarget(URI orders, URI payments, URI inventory, String kafkaBootstrapServers, String adminUser, String adminPassword) {
        this(orders, payments, inventory, kafkaBootstrapServers, adminUser, adminPassword, List.of(orders));
    }

    public LoadTarget {
        Objects.requireNonNull(orders, "orders");
        orderInstances = orderInstances == null || orderInstances.isEmpty() ? List.of(orders) : List.copyOf(orderInstances);
        Objects.requireNonNull(payments, "payments");
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
    }

    @Override
    public String toString() {
        return "LoadTarget[orders=" + orderInstances + ", payments=" + payments + ", inventory=" + inventory
                + ", kafka=" + kafkaBootstrapServers + ", adminUser=" + adminUser + "]"; // never the password
    }

    /** The order-service instance that takes order {@code index}: round robin over all of them. */
    public URI orderInstance(long index) {
        return orderInstances.get((int) Math.floorMod(index, (long) orderInstances.size()));
    }
}
