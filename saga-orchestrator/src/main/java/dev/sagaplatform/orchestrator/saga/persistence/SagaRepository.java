package dev.sagaplatform.orchestrator.saga.persistence;

import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.orchestrator.saga.SagaStore;
import dev.sagaplatform.orchestrator.saga.domain.HistoryEntry;
import dev.sagaplatform.orchestrator.saga.domain.OrderSagaData;
import dev.sagaplatform.orchestrator.saga.domain.Saga;
import dev.sagaplatform.orchestrator.saga.domain.SagaState;
import dev.sagaplatform.orchestrator.saga.domain.StepAction;
import dev.sagaplatform.orchestrator.saga.domain.StepOutcome;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Saga rows and their step history, in plain SQL: the claim query needs {@code for update skip locked}
 * and every update needs its version check spelled out, which is clearer here than behind an ORM.
 */
@Repository
public class SagaRepository implements SagaStore {

    private static final TypeReference<List<OrderLine>> ITEMS = new TypeReference<>() {
    };
    private static final String COLUMNS = """
            id, order_id, state, current_step, step_action, pending_command_id, pending_command_type,
            step_deadline, next_retry_at, attempts, reason, reason_detail, customer_id, total, items,
            version, created_at, updated_at""";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public SagaRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** @return false if the order already has a saga (starting one is idempotent per order) */
    @Override
    public boolean insert(Saga<OrderSagaData> saga, Instant now) {
        return jdbc.sql("""
                        insert into saga_instance (id, order_id, state, current_step, step_action, pending_command_id,
                            pending_command_type, step_deadline, next_retry_at, attempts, reason, reason_detail,
                            customer_id, total, items, version, created_at, updated_at)
                        values (:id, :orderId, :state, :step, :action, :pendingCommandId, :pendingCommandType,
                            :deadline, :nextRetryAt, :attempts, :reason, :reasonDetail, :customerId, :total,
                            cast(:items as jsonb), 0, :now, :now)
                        on conflict (order_id) do nothing
                        """)
                .params(parameters(saga, now))
                .param("customerId", saga.data().customerId())
                .param("total", saga.data().total())
                .param("items", json.writeValueAsString(saga.data().items()))
                .update() == 1;
    }

    /**
     * Writes the saga's new state if nobody else changed it since {@code expectedVersion} was read.
     *
     * @throws OptimisticLockingFailureException when another writer won; the caller's transaction rolls back
     */
    @Override
    public void update(Saga<OrderSagaData> saga, long expectedVersion, Instant now) {
        int updated = jdbc.sql("""
                        update saga_instance
                        set state = :state, current_step = :step, step_action = :action,
                            pending_command_id = :pendingCommandId, pending_command_type = :pendingCommandType,
                            step_deadline = :deadline, next_retry_at = :nextRetryAt, attempts = :attempts,
                            reason = :reason, reason_detail = :reasonDetail,
                            version = version + 1, updated_at = :now
                        where id = :id and version = :expectedVersion
                        """)
                .params(parameters(saga, now))
                .param("expectedVersion", expectedVersion)
                .update();
        if (updated != 1) {
            throw new OptimisticLockingFailureException("saga " + saga.id() + " changed since version " + expectedVersion
                    + " was read");
        }
    }

    @Override
    public Optional<StoredSaga> find(UUID sagaId) {
        return jdbc.sql("select " + COLUMNS + " from saga_instance where id = :id")
                .param("id", sagaId)
                .query(this::map)
                .optional();
    }

    /**
     * Claims the saga whose deadline or retry time passed longest ago. The row lock lasts until the
     * caller's transaction ends; rows locked by another poller (another instance) are skipped, not waited for.
     */
    @Override
    public Optional<StoredSaga> claimDue(Instant now) {
        return jdbc.sql("select " + COLUMNS + """
                         from saga_instance
                        where state in ('STARTED', 'COMPENSATING') and due_at <= :now
                        order by due_at
                        limit 1
                        for update skip locked
                        """)
                .param("now", timestamp(now))
                .query(this::map)
                .optional();
    }

    @Override
    public void appendHistory(UUID sagaId, List<HistoryEntry> entries) {
        for (HistoryEntry entry : entries) {
            jdbc.sql("""
                            insert into saga_step_history (saga_id, occurred_at, step, command_type, command_id, outcome, detail)
                            values (:sagaId, :at, :step, :commandType, :commandId, :outcome, :detail)
                            """)
                    .param("sagaId", sagaId)
                    .param("at", timestamp(entry.at()))
                    .param("step", entry.step())
                    .param("commandType", entry.commandType())
                    .param("commandId", entry.commandId())
                    .param("outcome", entry.outcome().name())
                    .param("detail", entry.detail())
                    .update();
        }
    }

    /** When the command was last sent (first send or a re-send), if the history knows it. */
    @Override
    public Optional<Instant> lastSent(UUID sagaId, UUID commandId) {
        return jdbc.sql("""
                        select max(occurred_at) from saga_step_history
                         where saga_id = :sagaId and command_id = :commandId and outcome in ('SENT', 'RETRIED')
                        """)
                .param("sagaId", sagaId)
                .param("commandId", commandId)
                .query((rs, rowNum) -> Optional.ofNullable(rs.getTimestamp(1)))
                .single()
                .map(java.sql.Timestamp::toInstant);
    }

    /** History lines of the given sagas in the order they were written. */
    public Map<UUID, List<HistoryEntry>> history(Collection<UUID> sagaIds) {
        Map<UUID, List<HistoryEntry>> bySaga = new LinkedHashMap<>();
        sagaIds.forEach(id -> bySaga.put(id, new ArrayList<>()));
        if (sagaIds.isEmpty()) {
            return bySaga;
        }
        jdbc.sql("""
                        select saga_id, occurred_at, step, command_type, command_id, outcome, detail
                        from saga_step_history where saga_id in (:ids) order by saga_id, id
                        """)
                .param("ids", List.copyOf(sagaIds))
                .query((rs, row) -> {
                    bySaga.get(rs.getObject("saga_id", UUID.class)).add(new HistoryEntry(
                            instant(rs, "occurred_at"), rs.getString("step"), rs.getString("command_type"),
                            rs.getObject("command_id", UUID.class), StepOutcome.valueOf(rs.getString("outcome")),
                            rs.getString("detail")));
                    return null;
                })
                .list();
        return bySaga;
    }

    /** Newest first; {@code orderId} and {@code state} are optional filters. */
    public SagaPage search(UUID orderId, SagaState state, int page, int size) {
        StringBuilder where = new StringBuilder(" where true");
        Map<String, Object> params = new LinkedHashMap<>();
        if (orderId != null) {
            where.append(" and order_id = :orderId");
            params.put("orderId", orderId);
        }
        if (state != null) {
            where.append(" and state = :state");
            params.put("state", state.name());
        }
        long total = jdbc.sql("select count(*) from saga_instance" + where).params(params).query(Long.class).single();
        List<StoredSaga> content = jdbc.sql("select " + COLUMNS + " from saga_instance" + where
                        + " order by created_at desc, id limit :limit offset :offset")
                .params(params)
                .param("limit", size)
                .param("offset", (long) page * size)
                .query(this::map)
                .list();
        return new SagaPage(content, total);
    }

    /** How many sagas are in each of the given states (absent: none); meant for the few non-terminal ones, through the state index. */
    @Override
    public Map<SagaState, Long> countLiveByState(Collection<SagaState> states) {
        Map<SagaState, Long> counts = new LinkedHashMap<>();
        jdbc.sql("select state, count(*) from saga_instance where state in (:states) group by state")
                .param("states", states.stream().map(SagaState::name).toList())
                .query((rs, row) -> counts.put(SagaState.valueOf(rs.getString(1)), rs.getLong(2)))
                .list();
        return counts;
    }

    public record SagaPage(List<StoredSaga> content, long totalElements) {
    }

    /** A map rather than a parameter source, so that callers can add parameters of their own. */
    private static Map<String, Object> parameters(Saga<OrderSagaData> saga, Instant now) {
        Map<String, Object> params = new HashMap<>();
        params.put("id", saga.id());
        params.put("orderId", saga.orderId());
        params.put("state", saga.state().name());
        params.put("step", saga.step());
        params.put("action", saga.action().name());
        params.put("pendingCommandId", saga.pendingCommandId());
        params.put("pendingCommandType", saga.pendingCommandType());
        params.put("deadline", timestamp(saga.deadline()));
        params.put("nextRetryAt", timestamp(saga.nextRetryAt()));
        params.put("attempts", saga.attempts());
        params.put("reason", saga.reason() == null ? null : saga.reason().name());
        params.put("reasonDetail", saga.reasonDetail());
        params.put("now", timestamp(now));
        return params;
    }

    private StoredSaga map(ResultSet rs, int row) throws SQLException {
        OrderSagaData data = new OrderSagaData(rs.getObject("order_id", UUID.class), rs.getString("customer_id"),
                rs.getBigDecimal("total"), json.readValue(rs.getString("items"), ITEMS));
        String reason = rs.getString("reason");
        Saga<OrderSagaData> saga = new Saga<>(rs.getObject("id", UUID.class), data,
                SagaState.valueOf(rs.getString("state")), rs.getString("current_step"),
                StepAction.valueOf(rs.getString("step_action")), rs.getObject("pending_command_id", UUID.class),
                rs.getString("pending_command_type"), instant(rs, "step_deadline"), instant(rs, "next_retry_at"),
                rs.getInt("attempts"), reason == null ? null : RejectionReason.valueOf(reason), rs.getString("reason_detail"));
        return new StoredSaga(saga, rs.getLong("version"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
