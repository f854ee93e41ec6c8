package dev.sagaplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagaplatform.e2e.ApplicationUnderTest.Service;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The invariant check itself must be able to fail: each test corrupts the platform's state the way a bug would,
 * expects the check to name it, and puts the state back (so the check after the test passes again).
 */
class InvariantCheckTest extends EndToEndTest {

    /** The checks below need no sagas to settle: the corruption is already in place when they run. */
    private static final Duration NO_SETTLE = Duration.ofSeconds(2);

    /** A message type that no consumer handles: every subscription skips it, so a forged row changes nothing downstream. */
    private static final String UNHANDLED_TYPE = "InvariantCheckProbe";

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

    @Test
    void reportsAnOutboxRowTheRelayNeverPublished() {
        EmbeddedPlatform platform = embedded();
        UUID rowId = UUID.randomUUID();
        platform.pause(Service.RELAY);
        try {
            insertOutboxRow(Service.ORDER, "order", rowId, null);
            assertThat(new Invariants(app).violations(NO_SETTLE, Duration.ofSeconds(3)))
                    .anySatisfy(v -> assertThat(v).isEqualTo("outbox row " + rowId + " of order-service was never published"));
        } finally {
            // The relay catches up, so the check after this test finds the row published.
            platform.resume(Service.RELAY);
        }
    }

    @Test
    void reportsAMessageAppliedTwiceAndAnEffectTheInboxNeverRecorded() {
        UUID appliedTwice = UUID.randomUUID();
        UUID bypassedInbox = UUID.randomUUID();
        List<UUID> rows = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        // The inbox holds the first cause once, as it would; its effect is in the outbox twice, as a second application leaves it.
        execute(Service.PAYMENT, "insert into processed_message (consumer, message_id, message_type) values ('invariant-check-test', '"
                + appliedTwice + "', 'OrderCreated')");
        try {
            insertOutboxRow(Service.PAYMENT, "payment", rows.get(0), appliedTwice);
            insertOutboxRow(Service.PAYMENT, "payment", rows.get(1), appliedTwice);
            insertOutboxRow(Service.PAYMENT, "payment", rows.get(2), bypassedInbox);
            assertThat(new Invariants(app).violations(NO_SETTLE))
                    .anySatisfy(v -> assertThat(v).isEqualTo("payment-service applied message " + appliedTwice
                            + " 2 times: its outbox holds 2 " + UNHANDLED_TYPE + " caused by it"))
                    .anySatisfy(v -> assertThat(v).isEqualTo("payment-service sent " + UNHANDLED_TYPE + " " + rows.get(2)
                            + " caused by message " + bypassedInbox + ", which its inbox never recorded"))
                    .noneSatisfy(v -> assertThat(v).contains(appliedTwice + ", which its inbox never recorded"));
        } finally {
            // Deleted rows are not expected on the topics; whether the relay published them first does not matter.
            execute(Service.PAYMENT, "delete from outbox where id in ('" + rows.get(0) + "', '" + rows.get(1) + "', '" + rows.get(2) + "')");
            execute(Service.PAYMENT, "delete from processed_message where consumer = 'invariant-check-test'");
        }
    }

    /**
     * Invariant 5's "a key maps to an order that exists" needs no check of its own: the schema refuses the state
     * ({@code idempotency_key.order_id references orders}, and unique), which this proves.
     */
    @Test
    void theDatabaseRefusesAKeyThatMapsToAnOrderThatDoesNotExist() {
        String key = "forged-" + UUID.randomUUID();
        assertThatThrownBy(() -> execute(Service.ORDER, "insert into idempotency_key (idempotency_key, fingerprint, state,"
                + " response_status, response_body, order_id, created_at, expires_at) values ('" + key + "', repeat('0', 64),"
                + " 'COMPLETED', 202, '{}', '" + UUID.randomUUID() + "', now(), now() + interval '1 day')"))
                .cause().isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("foreign key violation").isEqualTo("23503"));
    }

    private static void insertOutboxRow(Service service, String aggregateType, UUID id, UUID causationId) {
        execute(service, "insert into outbox (id, aggregatetype, aggregateid, type, schema_version, payload, causation_id) values ('"
                + id + "', '" + aggregateType + "', '" + UUID.randomUUID() + "', '" + UNHANDLED_TYPE + "', 1, '{}', "
                + (causationId == null ? "null" : "'" + causationId + "'") + ")");
    }

    private static EmbeddedPlatform embedded() {
        if (!(app instanceof EmbeddedPlatform platform)) {
            throw new TestAbortedException("needs the embedded platform to freeze the relay");
        }
        return platform;
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
