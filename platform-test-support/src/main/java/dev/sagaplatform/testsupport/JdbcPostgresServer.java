package dev.sagaplatform.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** Database management over plain JDBC, the same for every backend. */
abstract class JdbcPostgresServer implements PostgresServer, AutoCloseable {

    static final String DATABASE_PASSWORD = "test";

    private static final int MAX_IDENTIFIER_LENGTH = 63;
    // Names are interpolated into SQL (identifiers cannot be bind parameters), so only names this
    // class generated are ever accepted.
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final AtomicInteger counter = new AtomicInteger();
    private final CopyOnWriteArrayList<Consumer<DatabaseHandle>> dropListeners = new CopyOnWriteArrayList<>();

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    @Override
    public DatabaseHandle createDatabase(String nameHint) {
        String name = uniqueName(nameHint, counter.incrementAndGet());
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + name + " LOGIN REPLICATION PASSWORD '" + DATABASE_PASSWORD + "'");
            statement.execute("CREATE DATABASE " + name + " OWNER " + name);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not create test database " + name + " on " + jdbcUrl("postgres"), ex);
        }
        return new DatabaseHandle(name, jdbcUrl(name), name, DATABASE_PASSWORD);
    }

    @Override
    public void dropDatabase(DatabaseHandle database) {
        String name = database.name();
        if (!SAFE_NAME.matcher(name).matches() || !name.equals(database.username())) {
            throw new IllegalArgumentException("Not a database created by createDatabase: " + database);
        }
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            dropReplicationSlots(statement, name);
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("DROP ROLE IF EXISTS " + name);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not drop test database " + name, ex);
        }
        dropListeners.forEach(listener -> listener.accept(database));
    }

    void onDrop(Consumer<DatabaseHandle> listener) {
        dropListeners.add(listener);
    }

    // DROP DATABASE refuses while logical slots exist on the database, and a slot in use by a
    // walsender cannot be dropped until that walsender has exited, which takes a moment.
    private static void dropReplicationSlots(Statement statement, String database) throws SQLException {
        String inDatabase = " FROM pg_replication_slots WHERE database = '" + database + "'";
        SQLException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                statement.execute("SELECT pg_terminate_backend(active_pid)" + inDatabase + " AND active_pid IS NOT NULL");
                statement.execute("SELECT pg_drop_replication_slot(slot_name)" + inDatabase + " AND NOT active");
                try (var remaining = statement.executeQuery("SELECT count(*)" + inDatabase)) {
                    remaining.next();
                    if (remaining.getInt(1) == 0) {
                        return;
                    }
                }
            }
            catch (SQLException ex) {
                last = ex;
            }
            sleep(100);
        }
        throw new SQLException("Replication slots of " + database + " are still in use", last);
    }

    Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl("postgres"), adminUser(), adminPassword());
    }

    static String uniqueName(String hint, int counter) {
        String base = hint == null ? "" : hint
                .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                .replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_+|_+$", "");
        if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
            base = base.isEmpty() ? "db" : "db_" + base;
        }
        String suffix = "_" + counter;
        int room = MAX_IDENTIFIER_LENGTH - suffix.length();
        if (base.length() > room) {
            base = base.substring(0, room).replaceAll("_+$", "");
        }
        return base + suffix;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", ex);
        }
    }

    @Override
    public abstract void close();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + host() + ":" + port() + "]";
    }
}
