package dev.sagaplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.e2e.ApplicationUnderTest.Service;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The invariant check itself must be able to fail: each test corrupts the platform's state the way a bug would,
 * expects the check to name it, and puts the state back (so the check after the test passes again).
 */
class InvariantCheckTest extends EndToEndTest {

    /** The checks below need no sagas to settle: the corruption is already in place when they run. */
    private static final Duration NO_SETTLE = Duration.ofSeconds(2);

    @Test
    void reportsMoneyThatNoApprovedOrderExplainsAndStockThatNoOrderHolds() {
        String sku = ChoreographedSagaTest.newProduct("1.00", 10);
        execute(Service.PAYMENT, "update customer set available_credit = available_credit - 1.00 where customer_id = 'carol'");
        execute(Service.INVENTORY, "update products set available = available - 1, reserved = reserved + 1 where sku = '" + sku + "'");
        try {
            assertThat(new Invariants(app).violations(NO_SETTLE))
                    .anySatisfy(v -> assertThat(v).startsWith("customer carol spent"))
                    .anySatisfy(v -> assertThat(v).startsWith("sku " + sku + " has 1 reserved"));
        } finally {
            execute(Service.PAYMENT, "update customer set available_credit = available_credit + 1.00 where customer_id = 'carol'");
            execute(Service.INVENTORY, "update products set available = available + 1, reserved = reserved - 1 where sku = '" + sku + "'");
        }
    }

    @Test
    void reportsAnOrderChargedTwiceAtTheGateway() {
        UUID orderId = approvedOrder();
        UUID secondCharge = UUID.randomUUID();
        execute(Service.GATEWAY, "insert into charge (charge_id, idempotency_key, order_id, customer_id, amount, created_at)"
                + " values ('" + secondCharge + "', 'forged-" + secondCharge + "', '" + orderId + "', 'alice', 1.50, now())");
        try {
            assertThat(new Invariants(app).violations(NO_SETTLE))
                    .anySatisfy(v -> assertThat(v).isEqualTo("order " + orderId + " was charged 2 times at the gateway"))
                    .anySatisfy(v -> assertThat(v).startsWith("order " + orderId + " is APPROVED but nets 3.00 at the gateway"));
        } finally {
            execute(Service.GATEWAY, "delete from charge where charge_id = '" + secondCharge + "'");
        }
    }

    @Test
    void reportsServicesThatDisagreeAboutAnOrder() {
        UUID orderId = approvedOrder();
        execute(Service.PAYMENT, "update payment set status = 'REFUNDED' where order_id = '" + orderId + "'");
        try {
            assertThat(new Invariants(app).violations(NO_SETTLE))
                    .anySatisfy(v -> assertThat(v).isEqualTo("order " + orderId + " is APPROVED but its payment is REFUNDED"));
        } finally {
            execute(Service.PAYMENT, "update payment set status = 'AUTHORIZED' where order_id = '" + orderId + "'");
        }
    }

    @Test
    void reportsAParkedSaga() {
        UUID orderId = place("ORCHESTRATION");
        assertThat(client.awaitTerminal(orderId).path("status").asString()).isEqualTo("APPROVED");
        execute(Service.ORCHESTRATOR, "update saga_instance set state = 'STUCK' where order_id = '" + orderId + "'");
        try {
            assertThat(new Invariants(app).violations(NO_SETTLE))
                    .anySatisfy(v -> assertThat(v).contains("of order " + orderId + " is STUCK"));
        } finally {
            execute(Service.ORCHESTRATOR, "update saga_instance set state = 'COMPLETED' where order_id = '" + orderId + "'");
        }
    }

    @Test
    void reportsAnOrderThatNeverEndsAndAKeyAnsweredWithoutAnOrder() {
        UUID orderId = UUID.randomUUID();
        String key = "forged-" + orderId;
        // An order no saga will ever end (no OrderCreated was written for it), and a key that says 202 but names no order.
        execute(Service.ORDER, "insert into orders (id, customer_id, status, flow, total, created_at, updated_at)"
                + " values ('" + orderId + "', 'alice', 'PENDING', 'ORCHESTRATION', 1.00, now(), now())");
        execute(Service.ORDER, "insert into idempotency_key (idempotency_key, fingerprint, state, response_status, response_body,"
                + " created_at, expires_at) values ('" + key + "', repeat('0', 64), 'COMPLETED', 202, '{}', now(), now() + interval '1 day')");
        try {
            assertThat(new Invariants(app).violations(NO_SETTLE))
                    .anySatisfy(v -> assertThat(v).contains("still PENDING after the settle time").contains(orderId.toString()))
                    .anySatisfy(v -> assertThat(v).isEqualTo("order " + orderId + " was accepted under no Idempotency-Key"))
                    .anySatisfy(v -> assertThat(v).isEqualTo("Idempotency-Key " + key + " was answered 202 but maps to no order"));
        } finally {
            execute(Service.ORDER, "delete from idempotency_key where idempotency_key = '" + key + "'");
            execute(Service.ORDER, "delete from orders where id = '" + orderId + "'");
        }
    }

    private static UUID approvedOrder() {
        UUID orderId = place("CHOREOGRAPHY");
        assertThat(client.awaitTerminal(orderId).path("status").asString()).isEqualTo("APPROVED");
        return orderId;
    }

    private static UUID place(String flow) {
        var response = client.placeOrder(UUID.randomUUID().toString(), "alice", Map.of("SKU-APPLE", 1), flow);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return UUID.fromString(response.json().path("orderId").asString());
    }

    private static void execute(Service service, String sql) {
        try (Connection connection = app.database(service).getConnection(); var statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
