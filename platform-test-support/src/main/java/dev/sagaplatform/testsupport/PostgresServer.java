package dev.sagaplatform.testsupport;

/**
 * The PostgreSQL server shared by all tests of one JVM ({@code wal_level=logical}). Tests never use
 * the admin account's database for their own data: each gets its own database from
 * {@link #createDatabase(String)}.
 */
public interface PostgresServer {

    String host();

    int port();

    /** A superuser. */
    String adminUser();

    String adminPassword();

    String jdbcUrl(String database);

    /**
     * Creates a database with a name derived from {@code nameHint} (snake case, lowercase, at most
     * 63 characters, with a counter suffix so calls never collide) and a login role of the same name
     * that owns it and has the {@code REPLICATION} attribute.
     */
    DatabaseHandle createDatabase(String nameHint);

    /**
     * Drops a database created by {@link #createDatabase(String)} together with its replication
     * slots and its role. Only needed by tests that create many databases: an inactive logical slot
     * pins WAL, and the server allows a limited number of slots.
     */
    void dropDatabase(DatabaseHandle database);
}
