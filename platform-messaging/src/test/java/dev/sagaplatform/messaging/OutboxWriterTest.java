package dev.sagaplatform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.contracts.order.OrderCreated;
import dev.sagaplatform.messaging.outbox.OutboxWriter;
import dev.sagaplatform.messaging.trace.Causation;
import dev.sagaplatform.messaging.trace.TraceContext;
import dev.sagaplatform.testsupport.RealInfrastructure;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest
@RealInfrastructure
class OutboxWriterTest {

    @Autowired
    OutboxWriter outbox;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void writesEventRouterCompatibleRowWhenTheTransactionCommits() {
        OrderCreated event = orderCreated();

        UUID id = transactions.execute(status -> outbox.append(event));

        Map<String, Object> row = jdbc.sql("select aggregatetype, aggregateid, type, schema_version, payload::text as payload, "
                        + "traceparent, causation_id from outbox where id = ?").param(id).query().singleRow();
        assertThat(row).containsEntry("aggregatetype", AggregateTypes.ORDER)
                .containsEntry("aggregateid", event.orderId().toString())
                .containsEntry("type", "OrderCreated")
                .containsEntry("schema_version", 1);
        assertThat((String) row.get("payload")).contains(event.orderId().toString()).contains("\"total\": 12.50");
        // No span is current here (no request, no message): the row starts a trace of its own.
        assertThat(TraceContext.isValid((String) row.get("traceparent"))).isTrue();
        // Written outside any message's handling (an HTTP request, a poller): nothing caused it.
        assertThat(row.get("causation_id")).isNull();
    }

    @Test
    void recordsTheMessageBeingHandledAsTheCauseOfEveryRowWrittenMeanwhile() {
        UUID cause = UUID.randomUUID();

        List<UUID> ids = Causation.runWith(cause, () -> transactions.execute(status -> List.of(
                outbox.append(orderCreated()), outbox.append(orderCreated()))));
        UUID after = transactions.execute(status -> outbox.append(orderCreated()));

        assertThat(ids).allSatisfy(id -> assertThat(causationOf(id)).isEqualTo(cause));
        assertThat(causationOf(after)).isNull();
    }

    @Test
    void aThreadStartedDuringAHandlingDoesNotInheritItsCause() throws Exception {
        UUID cause = UUID.randomUUID();
        UUID[] written = new UUID[2];

        // Work handed to another thread is outside the handling's transaction, so it must not claim its cause.
        Thread other = new Thread(() -> written[1] = transactions.execute(status -> outbox.append(orderCreated())));
        Causation.runWith(cause, () -> {
            other.start();
            written[0] = transactions.execute(status -> outbox.append(orderCreated()));
            return null;
        });
        other.join(10_000);

        assertThat(causationOf(written[0])).isEqualTo(cause);
        assertThat(causationOf(written[1])).isNull();
    }

    private UUID causationOf(UUID outboxId) {
        List<UUID> causes = jdbc.sql("select causation_id from outbox where id = ?").param(outboxId).query(UUID.class).list();
        assertThat(causes).as("outbox row " + outboxId).hasSize(1);
        return causes.get(0);
    }

    @Test
    void leavesNoRowWhenTheBusinessTransactionRollsBack() {
        OrderCreated event = orderCreated();

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            outbox.append(event);
            throw new IllegalStateException("business rule failed after the append");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(rowsFor(event)).isZero();
    }

    @Test
    void refusesToWriteOutsideATransaction() {
        OrderCreated event = orderCreated();

        assertThatThrownBy(() -> outbox.append(event))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside the transaction");
        assertThat(rowsFor(event)).isZero();
    }

    private long rowsFor(OrderCreated event) {
        return jdbc.sql("select count(*) from outbox where aggregateid = ?")
                .param(event.orderId().toString()).query(Long.class).single();
    }

    static OrderCreated orderCreated() {
        return new OrderCreated(UUID.randomUUID(), "customer-1",
                List.of(new OrderLine("SKU-1", 1, new BigDecimal("12.50"))), new BigDecimal("12.50"),
                SagaFlow.CHOREOGRAPHY, Instant.now());
    }
}
