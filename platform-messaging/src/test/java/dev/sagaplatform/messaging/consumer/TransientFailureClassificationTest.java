package dev.sagaplatform.messaging.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.transaction.CannotCreateTransactionException;

class TransientFailureClassificationTest {

    @Test
    void serializationFailuresDeadlocksAndLostConnectionsAreTransient() {
        assertThat(TransientDatabaseFailure.matches(new SQLException("could not serialize", "40001"))).isTrue();
        assertThat(TransientDatabaseFailure.matches(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(TransientDatabaseFailure.matches(new SQLException("connection refused", "08001"))).isTrue();
        assertThat(TransientDatabaseFailure.matches(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(TransientDatabaseFailure.matches(new CannotCreateTransactionException("no connection",
                new SQLTransientConnectionException("pool timed out")))).isTrue();
        assertThat(TransientDatabaseFailure.matches(new CannotAcquireLockException("lock"))).isTrue();
    }

    @Test
    void errorsThatRepeatThemselvesAreNotTransient() {
        assertThat(TransientDatabaseFailure.matches(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(TransientDatabaseFailure.matches(new DataIntegrityViolationException("fk"))).isFalse();
        assertThat(TransientDatabaseFailure.matches(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(TransientDatabaseFailure.matches(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void aTransientFailureAnywhereInTheCauseChainIsRetriedUntilSuccess() {
        class Unavailable extends RuntimeException implements TransientFailure {
        }
        var wrapped = new ListenerExecutionFailedException("listener failed", new IllegalStateException(new Unavailable()));

        assertThat(DeadLetterErrorHandlerFactory.isTransient(wrapped)).isTrue();
        assertThat(DeadLetterErrorHandlerFactory.isTransient(new ListenerExecutionFailedException("listener failed",
                new SQLException("deadlock detected", "40P01")))).isTrue();
        assertThat(DeadLetterErrorHandlerFactory.isTransient(new ListenerExecutionFailedException("listener failed",
                new IllegalArgumentException("bad")))).isFalse();
    }
}
