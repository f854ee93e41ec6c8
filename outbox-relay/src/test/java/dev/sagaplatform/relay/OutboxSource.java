package dev.sagaplatform.relay;

import dev.sagaplatform.testsupport.DatabaseHandle;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A service database as the relay sees it: the messaging library's migrations applied, rows inserted
 * the way {@code OutboxWriter} inserts them.
 */
final class OutboxSource {

    final String name;
    final DatabaseHandle database;
    final String aggregateType;

    private OutboxSource(String name, DatabaseHandle database) {
        this.name = name;
        this.database = database;
        // A topic of its own per source and test, so that no test sees another's records.
        this.aggregateType = "relaytest-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static OutboxSource create(String name) {
        DatabaseHandle database = TestInfrastructure.get().postgres().createDatabase("relay_" + name);
        Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/messaging").load().migrate();
        return new OutboxSource(name, database);
    }

    String topic() {
        return aggregateType + ".events";
    }

    String slotName() {
        return "relay_test_" + database.name();
    }

    /** Command-line arguments configuring this database as source {@code index} of a relay. */
    List<String> relayArgs(int index) {
        var postgres = TestInfrastructure.get().postgres();
        String prefix = "--relay.sources[" + index + "].";
        return List.of(prefix + "name=" + name,
                prefix + "host=" + postgres.host(),
                prefix + "port=" + postgres.port(),
                prefix + "database=" + database.name(),
                prefix + "username=" + database.username(),
                prefix + "password=" + database.password(),
                prefix + "slot-name=" + slotName());
    }

    /** Inserts {@code rows} rows in one transaction; returns their ids in commit order. */
    List<UUID> insert(String key, int firstSequence, int rows) {
        List<UUID> ids = new ArrayList<>(rows);
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into outbox (id, aggregatetype, aggregateid, type, schema_version, payload, traceparent)
                    values (?, ?, ?, 'RelayTestEvent', 1, cast(? as jsonb), ?)""")) {
                for (int i = 0; i < rows; i++) {
                    UUID id = UUID.randomUUID();
                    insert.setObject(1, id);
                    insert.setString(2, aggregateType);
                    insert.setString(3, key);
                    insert.setString(4, "{\"key\":\"" + key + "\",\"sequence\":" + (firstSequence + i) + "}");
                    insert.setString(5, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
                    insert.addBatch();
                    ids.add(id);
                }
                insert.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    /** Drops the relay's slot: an inactive slot would pin WAL on the shared server. */
    void dropSlot() {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement drop = connection.prepareStatement(
                     "select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = ? and not active")) {
            drop.setString(1, slotName());
            drop.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
