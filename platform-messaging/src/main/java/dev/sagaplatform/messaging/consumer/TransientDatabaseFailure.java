package dev.sagaplatform.messaging.consumer;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Database errors that a second run of the same transaction can overcome: lost or refused
 * connections (SQLState class {@code 08}, {@code 57P01}–{@code 57P03}, {@code 53300}), serialization
 * failures ({@code 40001}), deadlocks ({@code 40P01}), lock and optimistic-locking conflicts, and
 * a pool that had no connection in time. Anything else (a constraint violation, bad SQL, a bug) fails
 * the same way every time and is not retried.
 *
 * <p>A public class with a no-argument constructor, so YAML can name it:
 * {@code resilience4j.retry.instances.database.retry-exception-predicate}.
 */
public class TransientDatabaseFailure implements Predicate<Throwable> {

    private static final Set<String> TRANSIENT_STATES = Set.of(
            "40001",  // serialization_failure
            "40P01",  // deadlock_detected
            "57P01",  // admin_shutdown
            "57P02",  // crash_shutdown
            "57P03",  // cannot_connect_now (starting up, in recovery)
            "53300"); // too_many_connections

    @Override
    public boolean test(Throwable failure) {
        return matches(failure);
    }

    public static boolean matches(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || TRANSIENT_STATES.contains(sql.getSQLState()))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
