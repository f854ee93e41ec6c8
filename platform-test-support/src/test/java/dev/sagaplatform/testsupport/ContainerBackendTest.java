package dev.sagaplatform.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;

import static org.assertj.core.api.Assertions.assertThat;

/** The container backend's own settings; runs only where Docker is, skipped elsewhere. */
@RequiresDocker
class ContainerBackendTest {

    @Test
    void containerPostgresAcceptsReplicationConnectionsFromTheHost() throws Exception {
        try (JdbcPostgresServer postgres = ContainerServers.startPostgres()) {
            DatabaseHandle database = postgres.createDatabase("container replication");
            try (Connection connection = database.dataSource().getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SHOW wal_level")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("logical");
            }
            Properties properties = new Properties();
            PGProperty.USER.set(properties, database.username());
            PGProperty.PASSWORD.set(properties, database.password());
            PGProperty.REPLICATION.set(properties, "database");
            PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
            PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
            try (Connection replication = DriverManager.getConnection(database.jdbcUrl(), properties)) {
                String slot = database.name() + "_slot";
                replication.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical()
                        .withSlotName(slot).withOutputPlugin("pgoutput").make();
                try (Statement statement = replication.createStatement()) {
                    statement.execute("DROP_REPLICATION_SLOT " + slot);
                }
            }
        }
    }
}
