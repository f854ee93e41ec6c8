package dev.sagaplatform.order.idempotency;

import dev.sagaplatform.order.idempotency.IdempotencyKeyRecord.State;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** {@link IdempotencyKeyStore} on the {@code idempotency_key} table. */
@Component
class JdbcIdempotencyKeyStore implements IdempotencyKeyStore {

    private static final String COLUMNS = "idempotency_key, fingerprint, state, lock_token, response_status, "
            + "response_body, order_id, created_at, expires_at";

    private final JdbcClient jdbc;

    JdbcIdempotencyKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<IdempotencyKeyRecord> find(String key) {
        return jdbc.sql("select " + COLUMNS + " from idempotency_key where idempotency_key = :key")
                .param("key", key)
                .query(JdbcIdempotencyKeyStore::record)
                .optional();
    }

    @Override
    public Optional<IdempotencyKeyRecord> findForUpdate(String key) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("a key must be locked in a transaction, or the lock ends with the statement");
        }
        return jdbc.sql("select " + COLUMNS + " from idempotency_key where idempotency_key = :key for update")
                .param("key", key)
                .query(JdbcIdempotencyKeyStore::record)
                .optional();
    }

    /** The primary key serialises concurrent inserts: the second waits for the first to commit, then inserts nothing. */
    @Override
    public boolean insertIfAbsent(IdempotencyKeyRecord key) {
        return jdbc.sql("""
                        insert into idempotency_key (%s)
                        values (:key, :fingerprint, :state, :token, :status, :body, :orderId, :createdAt, :expiresAt)
                        on conflict (idempotency_key) do nothing
                        """.formatted(COLUMNS))
                .params(parameters(key))
                .update() == 1;
    }

    @Override
    public void update(IdempotencyKeyRecord key) {
        jdbc.sql("""
                        update idempotency_key
                           set fingerprint = :fingerprint, state = :state, lock_token = :token,
                               response_status = :status, response_body = :body, order_id = :orderId,
                               created_at = :createdAt, expires_at = :expiresAt
                         where idempotency_key = :key
                        """)
                .params(parameters(key))
                .update();
    }

    @Override
    public void delete(String key) {
        jdbc.sql("delete from idempotency_key where idempotency_key = :key").param("key", key).update();
    }

    /** One statement per batch, so no single statement holds locks for long. */
    @Override
    public int deleteExpired(Instant now, int limit) {
        return jdbc.sql("""
                        delete from idempotency_key where idempotency_key in (
                            select idempotency_key from idempotency_key where expires_at <= :now limit :limit)
                        """)
                .param("now", utc(now))
                .param("limit", limit)
                .update();
    }

    private static Map<String, Object> parameters(IdempotencyKeyRecord key) {
        StoredResponse response = key.response();
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("key", key.key());
        parameters.put("fingerprint", key.fingerprint());
        parameters.put("state", key.state().name());
        parameters.put("token", key.lockToken());
        parameters.put("status", response == null ? null : response.status());
        parameters.put("body", response == null ? null : response.body());
        parameters.put("orderId", response == null ? null : response.orderId());
        parameters.put("createdAt", utc(key.createdAt()));
        parameters.put("expiresAt", utc(key.expiresAt()));
        return parameters;
    }

    private static IdempotencyKeyRecord record(ResultSet rs, int rowNum) throws SQLException {
        State state = State.valueOf(rs.getString("state"));
        StoredResponse response = state == State.COMPLETED
                ? new StoredResponse(rs.getInt("response_status"), rs.getString("response_body"),
                rs.getObject("order_id", UUID.class))
                : null;
        return new IdempotencyKeyRecord(rs.getString("idempotency_key"), rs.getString("fingerprint"), state,
                rs.getObject("lock_token", UUID.class), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(), response);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
