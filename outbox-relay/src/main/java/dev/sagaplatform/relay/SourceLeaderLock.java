package dev.sagaplatform.relay;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The election of one source: a PostgreSQL session-level advisory lock, held on a connection of its own to the source
 * database. Whoever holds it is the source's ACTIVE relay; every other instance is a STANDBY that tries again every
 * {@code relay.election.poll-interval}. The lock lives exactly as long as the session: a relay that dies (SIGKILL, OOM,
 * node lost) releases it when PostgreSQL sees the connection close, and a relay whose lock connection breaks must stop
 * publishing at once (fencing), because it can no longer prove that it is the one.
 *
 * <p>Key: {@code (CLASS_ID, slot name's String.hashCode())}, per database, as advisory locks are. Operators find the holder
 * with {@code select a.application_name, a.client_addr from pg_locks l join pg_stat_activity a using (pid)
 * where l.locktype = 'advisory' and l.classid = 1380273241}.
 */
final class SourceLeaderLock implements AutoCloseable {

    /** "RELY" in ASCII: the advisory lock's first key, so the relay's locks are easy to tell from others'. */
    static final int CLASS_ID = 0x52454C59;

    private final RelayProperties.Source source;
    private final String instanceId;
    private final int objectId;
    private Connection connection;
    private boolean held;

    SourceLeaderLock(RelayProperties.Source source, String instanceId) {
        this.source = source;
        this.instanceId = instanceId;
        this.objectId = source.slotNameOrDefault().hashCode();
    }

    /**
     * Tries once to take the lock (returns at once either way).
     *
     * @return true when this instance holds it (now or already)
     * @throws SQLException when the database cannot be reached: the caller backs off as for any unavailable source
     */
    synchronized boolean tryAcquire() throws SQLException {
        if (held) {
            return stillHeld();
        }
        try {
            if (connection == null || connection.isClosed()) {
                connection = connect();
            }
            try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
                lock.setInt(1, CLASS_ID);
                lock.setInt(2, objectId);
                lock.setQueryTimeout(5);
                try (ResultSet result = lock.executeQuery()) {
                    held = result.next() && result.getBoolean(1);
                }
            }
            return held;
        } catch (SQLException e) {
            closeQuietly();
            throw e;
        }
    }

    /**
     * Checks, on the lock's own connection, that PostgreSQL still grants this session the lock. Any failure (connection
     * lost, query timed out, lock gone) counts as lost: the caller must stop publishing.
     */
    synchronized boolean stillHeld() {
        if (!held || connection == null) {
            return false;
        }
        try (PreparedStatement check = connection.prepareStatement("select count(*) from pg_locks where locktype = 'advisory'"
                + " and pid = pg_backend_pid() and granted and classid = ?::oid and objid = ?::oid and objsubid = 2")) {
            check.setLong(1, Integer.toUnsignedLong(CLASS_ID));
            check.setLong(2, Integer.toUnsignedLong(objectId));
            check.setQueryTimeout(5);
            try (ResultSet result = check.executeQuery()) {
                if (result.next() && result.getInt(1) == 1) {
                    return true;
                }
            }
        } catch (SQLException e) {
            // fall through: lost
        }
        closeQuietly();
        return false;
    }

    /** Who holds the lock now, as PostgreSQL knows the session ({@code application_name}), or null. */
    synchronized String holder() {
        if (connection == null) {
            return null;
        }
        try (PreparedStatement query = connection.prepareStatement("select a.application_name from pg_locks l join pg_stat_activity a"
                + " on a.pid = l.pid where l.locktype = 'advisory' and l.granted and l.classid = ?::oid and l.objid = ?::oid"
                + " and l.objsubid = 2 and l.database = (select oid from pg_database where datname = current_database())")) {
            query.setLong(1, Integer.toUnsignedLong(CLASS_ID));
            query.setLong(2, Integer.toUnsignedLong(objectId));
            query.setQueryTimeout(5);
            try (ResultSet result = query.executeQuery()) {
                return result.next() ? result.getString(1) : null;
            }
        } catch (SQLException e) {
            return null;
        }
    }

    synchronized boolean held() {
        return held;
    }

    /** Releases the lock by ending its session. */
    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        held = false;
        Connection current = connection;
        connection = null;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException e) {
                // the session is gone either way
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", source.username());
        if (source.password() != null) {
            properties.setProperty("password", source.password());
        }
        properties.setProperty("connectTimeout", "5");
        // A dead server or network must not hang the check: the socket read gives up, and the lock counts as lost.
        properties.setProperty("socketTimeout", "10");
        properties.setProperty("tcpKeepAlive", "true");
        String applicationName = "outbox-relay-lock " + instanceId;
        // PostgreSQL keeps 63 bytes of it.
        properties.setProperty("ApplicationName", applicationName.length() > 63 ? applicationName.substring(0, 63) : applicationName);
        return DriverManager.getConnection(source.jdbcUrl(), properties);
    }
}
