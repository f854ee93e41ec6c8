package dev.sagaplatform.simulator.world;

import dev.sagaplatform.contracts.SagaFlow;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The customers, products and orders of one schedule, drawn from its seed: few customers with little credit and
 * few products with little stock, so that orders compete and both flows decline and compensate, not only approve.
 */
public record Workload(List<Customer> customers, List<Product> products, List<PlannedOrder> orders) {

    public record Customer(String id, BigDecimal creditLimit) {
    }

    public record Product(String sku, BigDecimal price, int stock) {
    }

    public record Line(String sku, int quantity) {
    }

    /**
     * @param duplicatePost a second POST /orders with the same Idempotency-Key, concurrent with the first
     */
    public record PlannedOrder(long atMicros, String idempotencyKey, String customerId, List<Line> lines, SagaFlow flow,
                               boolean duplicatePost) {
    }

    /** At most this many orders per schedule unless {@code --orders} says otherwise. */
    public static final int MAX_ORDERS = 8;

    public static Workload draw(SimRandom random, int maxOrders) {
        List<Customer> customers = new ArrayList<>();
        int customerCount = (int) random.between(1, 3);
        for (int i = 1; i <= customerCount; i++) {
            customers.add(new Customer("customer-" + i, BigDecimal.valueOf(random.between(50, 400))));
        }
        List<Product> products = new ArrayList<>();
        int productCount = (int) random.between(1, 3);
        for (int i = 1; i <= productCount; i++) {
            products.add(new Product("SKU-" + i, BigDecimal.valueOf(random.between(5, 60)), (int) random.between(0, 8)));
        }
        List<PlannedOrder> orders = new ArrayList<>();
        int orderCount = (int) random.between(1, maxOrders);
        for (int i = 1; i <= orderCount; i++) {
            List<Line> lines = new ArrayList<>();
            List<Product> left = new ArrayList<>(products);
            int lineCount = (int) random.between(1, Math.min(2, left.size()));
            for (int l = 0; l < lineCount; l++) {
                Product product = left.remove(random.below(left.size()));
                lines.add(new Line(product.sku(), (int) random.between(1, 3)));
            }
            orders.add(new PlannedOrder(random.between(0, 3_000_000), "key-" + i, random.pick(customers).id(), lines,
                    random.chance(0.5) ? SagaFlow.ORCHESTRATION : SagaFlow.CHOREOGRAPHY, false));
        }
        return new Workload(customers, products, orders);
    }

    /** {@code 4 order(s); customer-1 credit 399, ...; SKU-1 at 30 with 4 in stock, ...} */
    public String describe() {
        return orders.size() + " order(s); " + String.join(", ", customers.stream()
                .map(c -> c.id() + " credit " + c.creditLimit()).toList()) + "; " + String.join(", ", products.stream()
                .map(p -> p.sku() + " at " + p.price() + " with " + p.stock() + " in stock").toList());
    }

    /** The time the last order is placed. */
    public long lastOrderMicros() {
        return orders.stream().mapToLong(PlannedOrder::atMicros).max().orElse(0);
    }
}
