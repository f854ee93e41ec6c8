package dev.sagaplatform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.messaging.outbox.OutboxWriter;
import dev.sagaplatform.messaging.retention.RetentionCleanup;
import dev.sagaplatform.testsupport.RealInfrastructure;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest(properties = {
        "platform.messaging.retention.outbox=7d",
        "platform.messaging.retention.processed-messages=14d",
        "platform.messaging.retention.batch-size=2"})
@RealInfrastructure
class RetentionCleanupTest {

    @Autowired
    RetentionCleanup cleanup;
    @Autowired
    OutboxWriter outbox;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    @BeforeEach
    void emptyTables() {
        jdbc.sql("delete from outbox").update();
        jdbc.sql("delete from processed_message").update();
    }

    @Test
    void deletesOnlyRowsOlderThanTheirRetentionInBatches() {
        for (int i = 0; i < 5; i++) {
            outboxRowAged(Duration.ofDays(8));
            inboxRowAged(Duration.ofDays(15));
        }
        UUID recentOutbox = outboxRowAged(Duration.ofDays(6));
        UUID recentInbox = inboxRowAged(Duration.ofDays(13));

        RetentionCleanup.Result result = cleanup.purge();

        // Five old rows with a batch size of two take three delete statements; all five must go.
        assertThat(result.outboxRows()).isEqualTo(5);
        assertThat(result.processedMessageRows()).isEqualTo(5);
        assertThat(jdbc.sql("select id from outbox").query(UUID.class).list()).containsExactly(recentOutbox);
        assertThat(jdbc.sql("select message_id from processed_message").query(UUID.class).list()).containsExactly(recentInbox);
    }

    @Test
    void keepsEverythingWhenNothingIsOldEnough() {
        outboxRowAged(Duration.ofHours(1));
        inboxRowAged(Duration.ofHours(1));

        assertThat(cleanup.purge()).isEqualTo(new RetentionCleanup.Result(0, 0));
        assertThat(jdbc.sql("select count(*) from outbox").query(Long.class).single()).isEqualTo(1);
    }

    private UUID outboxRowAged(Duration age) {
        UUID id = transactions.execute(status -> outbox.append(OutboxWriterTest.orderCreated()));
        jdbc.sql("update outbox set created_at = ? where id = ?")
                .params(java.sql.Timestamp.from(Clock.systemUTC().instant().minus(age)), id).update();
        return id;
    }

    private UUID inboxRowAged(Duration age) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into processed_message (consumer, message_id, message_type, processed_at) values (?, ?, ?, ?)")
                .params("retention-test", id, "OrderCreated", java.sql.Timestamp.from(Clock.systemUTC().instant().minus(age)))
                .update();
        return id;
    }
}
