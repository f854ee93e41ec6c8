package dev.sagaplatform.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag(RealInfrastructure.TAG)
class PostgresServerTest {

    private final PostgresServer postgres = TestInfrastructure.get().postgres();

    @Test
    void serverIsConfiguredForChangeDataCapture() throws SQLException {
        DatabaseHandle database = postgres.createDatabase("settings");
        try (Connection connection = database.dataSource().getConnection()) {
            assertThat(show(connection, "wal_level")).isEqualTo("logical");
            assertThat(show(connection, "synchronous_commit")).isEqualTo("on");
            assertThat(Integer.parseInt(show(connection, "max_replication_slots"))).isGreaterThanOrEqualTo(40);
            assertThat(Integer.parseInt(show(connection, "max_wal_senders"))).isGreaterThanOrEqualTo(40);
        }
        finally {
            postgres.dropDatabase(database);
        }
    }

    @Test
    void databaseOwnerCanDecodeChangesThroughAPgoutputSlot() throws SQLException {
        DatabaseHandle database = postgres.createDatabase("pgoutput slot");
        String slot = database.name() + "_slot";
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE outbox (id bigint PRIMARY KEY, payload text)");
            statement.execute("CREATE PUBLICATION outbox_publication FOR TABLE outbox");
            statement.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            try {
                statement.execute("INSERT INTO outbox VALUES (1, 'hello')");
                try (ResultSet changes = statement.executeQuery("SELECT count(*) FROM pg_logical_slot_peek_binary_changes('" + slot
                        + "', NULL, NULL, 'proto_version', '1', 'publication_names', 'outbox_publication')")) {
                    changes.next();
                    // BEGIN, RELATION, INSERT, COMMIT at least.
                    assertThat(changes.getInt(1)).isGreaterThanOrEqualTo(3);
                }
            }
            finally {
                statement.execute("SELECT pg_drop_replication_slot('" + slot + "')");
            }
            try (ResultSet slots = statement.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
                slots.next();
                assertThat(slots.getInt(1)).isZero();
            }
        }
        finally {
            postgres.dropDatabase(database);
        }
    }

    /** What Debezium does: a replication-protocol connection as the database owner. */
    @Test
    void databaseOwnerCanOpenAReplicationConnection() throws SQLException {
        DatabaseHandle database = postgres.createDatabase("replication connection");
        String slot = database.name() + "_slot";
        Properties properties = new Properties();
        PGProperty.USER.set(properties, database.username());
        PGProperty.PASSWORD.set(properties, database.password());
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        try (Connection connection = java.sql.DriverManager.getConnection(database.jdbcUrl(), properties)) {
            PGConnection replication = connection.unwrap(PGConnection.class);
            replication.getReplicationAPI().createReplicationSlot().logical().withSlotName(slot).withOutputPlugin("pgoutput").make();
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP_REPLICATION_SLOT " + slot);
            }
        }
        finally {
            postgres.dropDatabase(database);
        }
    }

    @Test
    void createdDatabasesAreIsolated() throws SQLException {
        DatabaseHandle first = postgres.createDatabase("Isolation");
        DatabaseHandle second = postgres.createDatabase("Isolation");
        try {
            assertThat(first.name()).isNotEqualTo(second.name()).startsWith("isolation_");
            try (Connection connection = first.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE orders (id bigint PRIMARY KEY)");
                statement.execute("INSERT INTO orders VALUES (42)");
                assertThat(currentUser(statement)).isEqualTo(first.username());
            }
            try (Connection connection = second.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                assertThat(currentUser(statement)).isEqualTo(second.username());
                assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM orders"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("does not exist");
            }
        }
        finally {
            postgres.dropDatabase(first);
            postgres.dropDatabase(second);
        }
    }

    @Test
    void droppingADatabaseAlsoDropsItsSlots() throws SQLException {
        DatabaseHandle database = postgres.createDatabase("drop with slot");
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_create_logical_replication_slot('" + database.name() + "_slot', 'pgoutput')");
        }
        postgres.dropDatabase(database);
        try (Connection admin = ((JdbcPostgresServer) postgres).adminConnection(); Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery("SELECT (SELECT count(*) FROM pg_replication_slots WHERE database = '" + database.name()
                     + "') + (SELECT count(*) FROM pg_database WHERE datname = '" + database.name() + "')")) {
            rows.next();
            assertThat(rows.getInt(1)).isZero();
        }
    }

    @Test
    void namesAreSanitizedLowercaseAndShortEnough() {
        assertThat(JdbcPostgresServer.uniqueName("OrderServiceIT", 7)).isEqualTo("order_service_it_7");
        assertThat(JdbcPostgresServer.uniqueName("HTTPClientTest", 1)).isEqualTo("http_client_test_1");
        assertThat(JdbcPostgresServer.uniqueName("Outer$Inner test-1", 2)).isEqualTo("outer_inner_test_1_2");
        assertThat(JdbcPostgresServer.uniqueName("123", 3)).isEqualTo("db_123_3");
        assertThat(JdbcPostgresServer.uniqueName("", 4)).isEqualTo("db_4");
        String longName = JdbcPostgresServer.uniqueName("A".repeat(40) + "b".repeat(40), 12345);
        assertThat(longName).hasSizeLessThanOrEqualTo(63).endsWith("_12345").matches("[a-z][a-z0-9_]*");
    }

    private static String show(Connection connection, String setting) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SHOW " + setting)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static String currentUser(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT current_user")) {
            rows.next();
            return rows.getString(1);
        }
    }
}
