package dev.sagaplatform.relay;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Checks a source before its connector starts, so that a misconfiguration becomes one sentence that
 * names the source and the fix, instead of a connector stack trace repeated on every retry.
 */
final class SourcePreflight {

    private SourcePreflight() {
    }

    /**
     * @throws MisconfiguredSourceException when a person must change something
     * @throws SourceUnavailableException   when waiting may be enough (server down, schema not migrated yet)
     */
    static void check(RelayProperties.Source source) {
        check(source, false);
    }

    /** @param slotFailover whether the slot is to be a failover slot ({@code relay.slot-failover}), which needs PostgreSQL 17 */
    static void check(RelayProperties.Source source, boolean slotFailover) {
        Properties credentials = new Properties();
        credentials.setProperty("user", source.username());
        if (source.password() != null) {
            credentials.setProperty("password", source.password());
        }
        credentials.setProperty("connectTimeout", "5");
        credentials.setProperty("ApplicationName", "outbox-relay-preflight");
        try (Connection connection = DriverManager.getConnection(source.jdbcUrl(), credentials)) {
            String walLevel = single(connection, "show wal_level");
            if (!"logical".equals(walLevel)) {
                throw new MisconfiguredSourceException(source, "wal_level is '" + walLevel
                        + "', CDC needs 'logical': set wal_level=logical in postgresql.conf (or -c wal_level=logical) and restart PostgreSQL");
            }
            if (!"t".equals(single(connection, "select (rolreplication or rolsuper)::text::char from pg_roles where rolname = current_user"))) {
                throw new MisconfiguredSourceException(source, "role '" + source.username()
                        + "' may not stream changes: run ALTER ROLE " + source.username() + " REPLICATION");
            }
            if (slotFailover) {
                int version = Integer.parseInt(single(connection, "show server_version_num"));
                if (version < 170000) {
                    throw new MisconfiguredSourceException(source, "relay.slot-failover needs PostgreSQL 17 (failover slots), this server"
                            + " is " + single(connection, "show server_version") + ": turn relay.slot-failover off or upgrade PostgreSQL");
                }
                if ("f".equals(single(connection, "select failover::text::char from pg_replication_slots where slot_name = ?",
                        source.slotNameOrDefault()))) {
                    // Debezium reuses an existing slot as it is; only the replication protocol can change it (ALTER_REPLICATION_SLOT).
                    throw new MisconfiguredSourceException(source, "replication slot '" + source.slotNameOrDefault() + "' exists without"
                            + " failover, so it would not survive a fail-over: with the relay stopped, run ALTER_REPLICATION_SLOT "
                            + source.slotNameOrDefault() + " (FAILOVER true) over a replication connection"
                            + " (psql \"dbname=" + source.database() + " replication=database\"), or drop the slot to have it recreated"
                            + " (the relay then snapshots the outbox again; the inboxes absorb what is sent twice)");
                }
            }
            if (single(connection, "select to_regclass('public.outbox')::text") == null) {
                throw new SourceUnavailableException(source, "table public.outbox does not exist yet: "
                        + "the service's migrations have not run (waiting for them)");
            }
            if (single(connection, "select pubname::text from pg_publication where pubname = ?", source.publication()) == null) {
                throw new SourceUnavailableException(source, "publication '" + source.publication()
                        + "' does not exist yet: the service's migrations have not run (waiting for them)");
            }
            if (!"t".equals(single(connection, "select has_table_privilege('public.outbox', 'SELECT')::text::char"))) {
                throw new MisconfiguredSourceException(source, "role '" + source.username()
                        + "' cannot read public.outbox: run GRANT SELECT ON outbox TO " + source.username());
            }
        } catch (SQLException e) {
            throw classify(source, e);
        }
    }

    private static RuntimeException classify(RelayProperties.Source source, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "3D000" -> new MisconfiguredSourceException(source, "database '" + source.database()
                    + "' does not exist on " + source.host() + ":" + source.port()
                    + ": create it or fix relay.sources[].database for source '" + source.name() + "'");
            case "28P01", "28000" -> new MisconfiguredSourceException(source, "authentication failed for role '"
                    + source.username() + "': fix relay.sources[].username/password for source '" + source.name() + "'");
            case "42501" -> new MisconfiguredSourceException(source, "permission denied: " + e.getMessage());
            default -> new SourceUnavailableException(source, "cannot reach " + source.host() + ":" + source.port()
                    + " (" + e.getMessage() + "): retrying with backoff");
        };
    }

    private static String single(Connection connection, String sql, String... params) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setString(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    static final class MisconfiguredSourceException extends RuntimeException {
        MisconfiguredSourceException(RelayProperties.Source source, String fix) {
            super("source '" + source.name() + "' (" + source.database() + "): " + fix);
        }
    }

    static final class SourceUnavailableException extends RuntimeException {
        SourceUnavailableException(RelayProperties.Source source, String detail) {
            super("source '" + source.name() + "' (" + source.database() + "): " + detail);
        }
    }
}
