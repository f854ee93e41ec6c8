package dev.sagaplatform.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes outbox rows into one system's database the way a service's {@code OutboxWriter} does
 * (same columns, a traceparent, a JSON payload), and tells the ledger when each row's transaction
 * committed.
 */
final class OutboxWriter implements AutoCloseable {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final Connection connection;
    private final PreparedStatement insert;
    private final String aggregateType;
    private final Ledger ledger;

    OutboxWriter(String jdbcUrl, String user, String password, String aggregateType, Ledger ledger) throws SQLException {
        this.connection = DriverManager.getConnection(jdbcUrl, user, password);
        this.connection.setAutoCommit(false);
        this.insert = connection.prepareStatement("""
                insert into outbox (id, aggregatetype, aggregateid, type, schema_version, payload, traceparent)
                values (?, ?, ?, 'OrderPlaced', 1, cast(? as jsonb), ?)""");
        this.aggregateType = aggregateType;
        this.ledger = ledger;
    }

    /** One row in one transaction; @return its sequence number */
    int insertOne() throws SQLException {
        int seq = ledger.reserve(1);
        bind(seq);
        insert.executeUpdate();
        connection.commit();
        ledger.committed(seq, 1, System.nanoTime());
        return seq;
    }

    /** {@code rows} rows in one transaction; @return the first sequence number */
    int insertTransaction(int rows) throws SQLException {
        int first = ledger.reserve(rows);
        for (int seq = first; seq < first + rows; seq++) {
            bind(seq);
            insert.addBatch();
        }
        insert.executeBatch();
        connection.commit();
        ledger.committed(first, rows, System.nanoTime());
        return first;
    }

    /**
     * Single-row transactions at a steady rate for {@code window}; a late insert does not shift the
     * schedule (the writer catches up), and the loop ends by the window plus a grace period at the latest.
     *
     * @return the sequence numbers written, as {@code [first, end)}
     */
    Range paced(int ratePerSecond, Duration window) throws SQLException {
        long interval = 1_000_000_000L / ratePerSecond;
        long count = window.toNanos() / interval;
        long start = System.nanoTime();
        long hardStop = start + window.toNanos() + Duration.ofSeconds(10).toNanos();
        int first = -1;
        int last = -1;
        for (long i = 0; i < count; i++) {
            long due = start + i * interval;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            if (now > hardStop) {
                break;
            }
            last = insertOne();
            if (first < 0) {
                first = last;
            }
        }
        long elapsed = System.nanoTime() - start;
        return new Range(first, last + 1, elapsed);
    }

    private void bind(int seq) throws SQLException {
        insert.setObject(1, UUID.randomUUID());
        insert.setString(2, aggregateType);
        insert.setString(3, "order-" + (seq % 1000));
        insert.setString(4, Payloads.payload(seq));
        insert.setString(5, TRACEPARENT);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** Rows {@code [from, to)}, written over {@code nanos}. */
    record Range(int from, int to, long nanos) {
        int rows() {
            return to - from;
        }

        double ratePerSecond() {
            return rows() * 1e9 / nanos;
        }
    }
}
