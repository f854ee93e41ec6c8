package dev.sagaplatform.simulator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagaplatform.contracts.inventory.StockReserved;
import dev.sagaplatform.payment.customer.Customer;
import dev.sagaplatform.simulator.world.SimRandom;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The in-memory stores behave as the services' ports assume PostgreSQL and JPA do. */
class DatabaseTest {

    private final Database database = new Database("payment-service");
    private final Table<String, Customer> customers = database.table("customer");
    private final InMemoryOutbox outbox = new InMemoryOutbox(database, new SimRandom(1), Clock.systemUTC());

    @Test
    void aChangeToAnEntityReadInATransactionIsWrittenAtCommit() {
        database.inTransaction(() -> customers.save("c", new Customer("c", "C", new BigDecimal("100"))));

        database.inTransaction(() -> customers.find("c").orElseThrow().debit(new BigDecimal("30")));

        assertThat(database.inTransaction(() -> customers.find("c").orElseThrow().availableCredit())).isEqualByComparingTo("70");
    }

    @Test
    void aRollbackForgetsChangesOutboxRowsAndInboxMarks() {
        database.inTransaction(() -> customers.save("c", new Customer("c", "C", new BigDecimal("100"))));
        UUID message = UUID.randomUUID();

        assertThatThrownBy(() -> database.inTransaction(() -> {
            customers.find("c").orElseThrow().debit(new BigDecimal("30"));
            outbox.append(new StockReserved(UUID.randomUUID(), List.of()));
            new InMemoryInbox(database, false).markProcessed("payment-service", message, "OrderCreated");
            throw new SimulatedCrash("mid-transaction");
        })).isInstanceOf(SimulatedCrash.class);

        assertThat(database.inTransaction(() -> customers.find("c").orElseThrow().availableCredit())).isEqualByComparingTo("100");
        assertThat(database.outbox()).isEmpty();
        assertThat(database.inTransaction(() -> new InMemoryInbox(database, false)
                .markProcessed("payment-service", message, "OrderCreated"))).isTrue();
    }

    @Test
    void theInboxKnowsACommittedMessageAndTheForgetfulOneDoesNot() {
        UUID message = UUID.randomUUID();
        InMemoryInbox inbox = new InMemoryInbox(database, false);
        assertThat(database.inTransaction(() -> inbox.markProcessed("payment-service", message, "OrderCreated"))).isTrue();
        assertThat(database.inTransaction(() -> inbox.markProcessed("payment-service", message, "OrderCreated"))).isFalse();
        assertThat(database.inTransaction(() -> inbox.markProcessed("order-service", message, "OrderCreated"))).isTrue();
        assertThat(database.inTransaction(() -> new InMemoryInbox(database, true)
                .markProcessed("payment-service", message, "OrderCreated"))).isTrue();
    }

    @Test
    void aSecondInsertOfAKeyIsAPrimaryKeyConflictAndADeleteFreesIt() {
        Table<String, String> keys = database.table("keys");
        assertThat(database.inTransaction(() -> keys.insert("k", "first"))).isTrue();
        assertThat(database.inTransaction(() -> keys.insert("k", "second"))).isFalse();
        database.inTransaction(() -> keys.delete("k"));
        assertThat(database.inTransaction(() -> keys.insert("k", "third"))).isTrue();
        assertThat(database.inTransaction(() -> keys.find("k"))).contains("third");
    }

    @Test
    void storesRefuseWorkOutsideATransactionAsTheProductionAdaptersDo() {
        assertThatThrownBy(() -> customers.find("c")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside a transaction");
        assertThatThrownBy(() -> outbox.append(new StockReserved(UUID.randomUUID(), List.of())))
                .isInstanceOf(IllegalStateException.class);
    }
}
