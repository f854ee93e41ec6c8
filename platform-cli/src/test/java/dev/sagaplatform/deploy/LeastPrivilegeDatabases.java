package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.PGReplicationStream;

/**
 * What least privilege means for the platform's databases, checked against a real PostgreSQL server provisioned by
 * one of the platform's provisionings (the local platform's, or {@code docker/postgres/init-databases.sql} that
 * compose and Kubernetes run): each service's role owns its database and nothing more, and the relay's role streams
 * the outbox and reads nothing else.
 */
public final class LeastPrivilegeDatabases {

    /** Each service's database and the role it connects with (the same name). */
    public static final List<String> SERVICE_DATABASES = List.of("order_service", "payment_service", "inventory_service",
            "saga_orchestrator", "payment_gateway", "saga_console");
    /** The databases with an outbox, which the relay reads. */
    public static final List<String> OUTBOX_DATABASES = List.of("order_service", "payment_service", "inventory_service", "saga_orchestrator");
    public static final String RELAY = "outbox_relay";

    private final String host;
    private final int port;
    private final Map<String, String> passwords;

    /** @param passwords each role's password: the service roles (named after their databases) and {@value #RELAY} */
    public LeastPrivilegeDatabases(String host, int port, Map<String, String> passwords) {
        this.host = host;
        this.port = port;
        this.passwords = passwords;
    }

    /** Every check below, after each service has migrated its database as its own role (as it does at start-up). */
    public void verify() throws Exception {
        for (String database : OUTBOX_DATABASES) {
            migrateAsOwner(database);
        }
        serviceRolesAreNeitherSuperusersNorAllowedElsewhere();
        relayReadsTheOutboxAndNothingElse();
        for (String database : OUTBOX_DATABASES) {
            relayStreamsTheOutbox(database);
        }
    }

    /** platform-messaging's migrations (outbox, inbox, publication, the relay's grants), as the service does at start-up. */
    public void migrateAsOwner(String database) {
        Flyway.configure().dataSource(url(database), database, passwords.get(database)).locations("classpath:db/messaging")
                .load().migrate();
    }

    public void serviceRolesAreNeitherSuperusersNorAllowedElsewhere() throws SQLException {
        for (String role : SERVICE_DATABASES) {
            try (Connection own = connect(role, role); Statement statement = own.createStatement()) {
                try (ResultSet attributes = statement.executeQuery("select rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls"
                        + " from pg_roles where rolname = current_user")) {
                    assertThat(attributes.next()).isTrue();
                    for (int column = 1; column <= 5; column++) {
                        assertThat(attributes.getBoolean(column)).as(role + ": " + attributes.getMetaData().getColumnName(column)).isFalse();
                    }
                }
                assertThat(single(statement, "select pg_get_userbyid(datdba) from pg_database where datname = current_database()"))
                        .as(role + " owns its database").isEqualTo(role);
                assertThat(single(statement, "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                        + " where n.nspname = 'public' and pg_get_userbyid(c.relowner) <> current_user"))
                        .as(role + " owns every object in its database").isEqualTo("0");
                statement.execute("create table owner_may_create (id int)");
                statement.execute("drop table owner_may_create");
                assertThatThrownBy(() -> statement.execute("create database stolen_" + role)).as(role).isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> statement.execute("create role stolen_" + role)).as(role).isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
            }
            for (String other : SERVICE_DATABASES) {
                if (!other.equals(role)) {
                    assertThatThrownBy(() -> connect(role, other).close()).as(role + " connects to " + other)
                            .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for database");
                }
            }
        }
    }

    public void relayReadsTheOutboxAndNothingElse() throws SQLException {
        for (String database : SERVICE_DATABASES) {
            if (!OUTBOX_DATABASES.contains(database)) {
                assertThatThrownBy(() -> connect(RELAY, database).close()).as("the relay connects to " + database)
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for database");
                continue;
            }
            try (Connection relay = connect(RELAY, database); Statement statement = relay.createStatement()) {
                assertThat(single(statement, "select rolreplication and not rolsuper and not rolcreatedb and not rolcreaterole"
                        + " from pg_roles where rolname = current_user")).isEqualTo("t");
                statement.executeQuery("select count(*) from outbox").close();
                statement.execute("insert into relay_heartbeat (id, beat_at) values (1, now())"
                        + " on conflict (id) do update set beat_at = excluded.beat_at");
                statement.execute("insert into relay_offsets values ('" + UUID.randomUUID() + "', 'k', 'v', now(), 1)");
                statement.execute("delete from relay_offsets");
                for (String forbidden : List.of("select count(*) from processed_message", "delete from outbox",
                        "insert into outbox (id, aggregatetype, aggregateid, type, schema_version, payload)"
                                + " values (gen_random_uuid(), 'order', 'x', 'Forged', 1, '{}')",
                        "create table relay_may_not_create (id int)")) {
                    assertThatThrownBy(() -> statement.execute(forbidden)).as(database + ": " + forbidden)
                            .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
                }
            }
        }
    }

    /** A logical replication slot with pgoutput on the service's publication: a row the service writes reaches the relay. */
    public void relayStreamsTheOutbox(String database) throws Exception {
        Properties properties = credentials(RELAY);
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        String slot = "least_privilege_" + database;
        try (Connection replication = DriverManager.getConnection(url(database), properties)) {
            PGConnection pg = replication.unwrap(PGConnection.class);
            pg.getReplicationAPI().createReplicationSlot().logical().withSlotName(slot).withOutputPlugin("pgoutput")
                    .withTemporaryOption().make();
            String aggregate = "least-privilege-" + UUID.randomUUID();
            try (PGReplicationStream stream = pg.getReplicationAPI().replicationStream().logical().withSlotName(slot)
                    .withSlotOption("proto_version", 1).withSlotOption("publication_names", "outbox_publication").start();
                 Connection service = connect(database, database); Statement statement = service.createStatement()) {
                statement.execute("insert into outbox (id, aggregatetype, aggregateid, type, schema_version, payload) values"
                        + " (gen_random_uuid(), 'order', '" + aggregate + "', 'OrderCreated', 1, '{}')");
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                boolean seen = false;
                while (!seen && System.nanoTime() < deadline) {
                    ByteBuffer message = stream.readPending();
                    if (message == null) {
                        Thread.sleep(20);
                        continue;
                    }
                    byte[] bytes = new byte[message.remaining()];
                    message.get(bytes);
                    seen = bytes.length > 0 && bytes[0] == 'I' && new String(bytes, StandardCharsets.UTF_8).contains(aggregate);
                }
                assertThat(seen).as("the relay's role receives " + database + "'s outbox insert through pgoutput").isTrue();
            }
        }
    }

    private Connection connect(String role, String database) throws SQLException {
        return DriverManager.getConnection(url(database), credentials(role));
    }

    private Properties credentials(String role) {
        Properties properties = new Properties();
        properties.setProperty("user", role);
        properties.setProperty("password", passwords.get(role));
        properties.setProperty("connectTimeout", "5");
        return properties;
    }

    private String url(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
