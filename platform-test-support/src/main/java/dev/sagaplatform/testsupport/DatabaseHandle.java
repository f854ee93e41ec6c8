package dev.sagaplatform.testsupport;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database created for a test on the shared PostgreSQL server. Its owner ({@link #username()})
 * has the {@code REPLICATION} attribute, so it can create logical replication slots and open
 * replication connections (Debezium), but it is not a superuser.
 */
public record DatabaseHandle(String name, String jdbcUrl, String username, String password) {

    /**
     * A new non-pooled data source on each call: tests that need pooling bring their own pool, and
     * tests that do not cannot leak one.
     */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        dataSource.setUser(username);
        dataSource.setPassword(password);
        return dataSource;
    }

    @Override
    public String toString() {
        // Leaves the password out of test logs and assertion messages.
        return "DatabaseHandle[" + name + " at " + jdbcUrl + " as " + username + "]";
    }
}
