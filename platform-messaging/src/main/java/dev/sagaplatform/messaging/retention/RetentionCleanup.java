package dev.sagaplatform.messaging.retention;

import dev.sagaplatform.messaging.MessagingProperties;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Deletes outbox and inbox rows past their retention age, in small batches so that no single
 * delete holds locks or bloats WAL long enough to stall the service's own transactions.
 */
public class RetentionCleanup implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RetentionCleanup.class);

    private final JdbcClient jdbc;
    private final MessagingProperties.Retention retention;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    public RetentionCleanup(JdbcClient jdbc, MessagingProperties.Retention retention, Clock clock) {
        this.jdbc = jdbc;
        this.retention = retention;
        this.clock = clock;
    }

    /** One full pass; returns the number of rows deleted from both tables. */
    public Result purge() {
        Instant now = clock.instant();
        long outbox = deleteInBatches("outbox", "created_at", now.minus(retention.outbox()));
        long inbox = deleteInBatches("processed_message", "processed_at", now.minus(retention.processedMessages()));
        if (outbox + inbox > 0) {
            log.info("retention cleanup deleted {} outbox and {} processed-message rows", outbox, inbox);
        }
        return new Result(outbox, inbox);
    }

    private long deleteInBatches(String table, String timestampColumn, Instant cutoff) {
        // ctid addresses the physical row, so one statement works for both tables whatever their keys.
        String sql = "delete from " + table + " where ctid in (select ctid from " + table
                + " where " + timestampColumn + " < :cutoff limit :limit)";
        long total = 0;
        int deleted;
        do {
            deleted = jdbc.sql(sql)
                    .param("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
                    .param("limit", retention.batchSize())
                    .update();
            total += deleted;
        } while (deleted == retention.batchSize());
        return total;
    }

    @Override
    public synchronized void start() {
        if (!retention.enabled() || scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "retention-cleanup");
            thread.setDaemon(true);
            return thread;
        });
        long periodMillis = retention.interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::purgeQuietly, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void purgeQuietly() {
        try {
            purge();
        } catch (RuntimeException e) {
            // The next run retries; cleanup failing must never take the service down.
            log.warn("retention cleanup failed, will retry in {}: {}", retention.interval(), e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    public record Result(long outboxRows, long processedMessageRows) {
    }
}
