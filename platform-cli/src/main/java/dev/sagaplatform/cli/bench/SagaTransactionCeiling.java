package dev.sagaplatform.cli.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling C: how many sagas per second PostgreSQL alone can commit, running one saga's transaction
 * mix with nothing else in the way. Per saga: one order transaction (order row + outbox row), then one
 * transaction per participant step (inbox row + state update + outbox row), every commit with
 * {@code synchronous_commit=on}, as the services do. Through JDBC rather than pgbench so it needs
 * nothing but the platform's own PostgreSQL; in a scratch database of its own, dropped afterwards.
 *
 * <p>Five participant transactions per saga: the choreographed flow commits three after the order
 * (payment, inventory, the order's outcome), the orchestrated one seven (the orchestrator's start and one
 * per reply, payment, inventory, the approval), so five is the mean of the two flows mixed half and half;
 * it is also the mix FACTS.md measured with pgbench (556–917 sagas/s on this kind of machine).
 */
public final class SagaTransactionCeiling {

    static final int PARTICIPANT_TRANSACTIONS = 5;
    private static final String DATABASE = "bench_ceiling";

    private final String jdbcBase;
    private final String user;
    private final String password;

    public SagaTransactionCeiling(String host, int port, String user, String password) {
        this.jdbcBase = "jdbc:postgresql://" + host + ":" + port + "/";
        this.user = user;
        this.password = password;
    }

    /** Sagas per second committed by {@code clients} connections over {@code duration}, after a short warm-up. */
    public double measure(int clients, Duration duration) throws SQLException, InterruptedException {
        try (Connection admin = DriverManager.getConnection(jdbcBase + "postgres", user, password);
             Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + DATABASE);
            statement.execute("create database " + DATABASE);
        }
        try {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("create table orders (id uuid primary key, status text not null, total numeric not null, updated_at timestamptz not null)");
                statement.execute("create table outbox (id uuid primary key, aggregatetype text, aggregateid text, type text, payload jsonb, created_at timestamptz default now())");
                statement.execute("create table processed_message (consumer text, message_id uuid, primary key (consumer, message_id))");
            }
            run(clients, Duration.ofSeconds(2));
            return run(clients, duration);
        } finally {
            try (Connection admin = DriverManager.getConnection(jdbcBase + "postgres", user, password);
                 Statement statement = admin.createStatement()) {
                statement.execute("drop database if exists " + DATABASE + " with (force)");
            }
        }
    }

    private double run(int clients, Duration duration) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong sagas = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                try (Connection connection = connect()) {
                    connection.setAutoCommit(false);
                    while (running.get()) {
                        saga(connection);
                        sagas.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "ceiling-" + i);
            threads.add(thread);
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        Thread.sleep(duration.toMillis());
        running.set(false);
        long before = sagas.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("the ceiling run failed: " + failures.get(0), failures.get(0));
        }
        return before / seconds;
    }

    private static void saga(Connection connection) throws SQLException {
        UUID order = UUID.randomUUID();
        try (PreparedStatement insertOrder = connection.prepareStatement("insert into orders values (?, 'PENDING', 1.00, now())");
             PreparedStatement outbox = connection.prepareStatement(
                     "insert into outbox (id, aggregatetype, aggregateid, type, payload) values (?, 'order', ?, 'OrderCreated', ?::jsonb)")) {
            insertOrder.setObject(1, order);
            insertOrder.executeUpdate();
            outbox(outbox, order);
            connection.commit();
        }
        try (PreparedStatement inbox = connection.prepareStatement("insert into processed_message values (?, ?)");
             PreparedStatement update = connection.prepareStatement("update orders set status = ?, updated_at = now() where id = ?");
             PreparedStatement outbox = connection.prepareStatement(
                     "insert into outbox (id, aggregatetype, aggregateid, type, payload) values (?, 'order', ?, 'Step', ?::jsonb)")) {
            for (int step = 0; step < PARTICIPANT_TRANSACTIONS; step++) {
                inbox.setString(1, "participant-" + step);
                inbox.setObject(2, UUID.randomUUID());
                inbox.executeUpdate();
                update.setString(1, "STEP-" + step);
                update.setObject(2, order);
                update.executeUpdate();
                outbox(outbox, order);
                connection.commit();
            }
        }
    }

    private static void outbox(PreparedStatement outbox, UUID order) throws SQLException {
        outbox.setObject(1, UUID.randomUUID());
        outbox.setString(2, order.toString());
        outbox.setString(3, "{\"orderId\":\"" + order + "\",\"customerId\":\"load-customer-0001\",\"total\":1.00}");
        outbox.executeUpdate();
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcBase + DATABASE, user, password);
        try (Statement statement = connection.createStatement()) {
            statement.execute("set synchronous_commit = on"); // durability is never traded for speed, here neither
        }
        return connection;
    }
}
