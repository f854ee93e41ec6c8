package dev.sagaplatform.console.timeline.persistence;

import dev.sagaplatform.console.timeline.domain.Observation;
import dev.sagaplatform.console.timeline.domain.OrderState;
import dev.sagaplatform.console.timeline.domain.Outcome;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** The console's own tables: every observed record once, and each order's summary. */
@Repository
public class TimelineStore {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    TimelineStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Records the message and updates its order's summary, in one transaction. Idempotent: a record seen before (the
     * console's consumer redelivers after a crash or rebalance) changes nothing.
     *
     * @return whether the record was new
     */
    @Transactional
    public boolean record(Observation message) {
        boolean replay = message.deadLetter() == null && message.eventId() != null && jdbc.sql("""
                select count(*) from observed_message where event_id = :eventId and original_topic = :topic
                """).param("eventId", message.eventId()).param("topic", message.topic()).query(Long.class).single() > 0;
        Outcome outcome = message.outcome(replay);
        int inserted = jdbc.sql("""
                insert into observed_message (topic, partition_no, offset_no, record_key, order_id, event_id, event_type, causation_id,
                    trace_id, sender, answers, outcome, record_time, original_topic, consumer_group, error, headers, payload)
                values (:topic, :partition, :offset, :key, :orderId, :eventId, :eventType, :causationId, :traceId, :sender, :answers, :outcome,
                    :time, :originalTopic, :consumerGroup, :error, cast(:headers as jsonb), :payload)
                on conflict on constraint observed_message_record do nothing
                """)
                .param("topic", message.topic())
                .param("partition", message.partition())
                .param("offset", message.offset())
                .param("key", message.key())
                .param("orderId", message.orderId())
                .param("eventId", message.eventId())
                .param("eventType", message.eventType())
                .param("causationId", message.causationId())
                .param("traceId", message.traceId())
                .param("sender", message.sender())
                .param("answers", message.facts().commandType())
                .param("outcome", outcome.name())
                .param("time", Timestamp.from(message.time()))
                .param("originalTopic", message.deadLetter() == null ? null : message.deadLetter().originalTopic())
                .param("consumerGroup", message.deadLetter() == null ? null : message.deadLetter().consumerGroup())
                .param("error", message.deadLetter() == null ? null : message.deadLetter().error())
                .param("headers", json.writeValueAsString(message.headers()))
                .param("payload", message.payload())
                .update();
        if (inserted == 0) {
            return false;
        }
        if (message.orderId() != null) {
            summarise(message, outcome);
        }
        return true;
    }

    /** An order's state only leaves PENDING for a terminal one, whatever order the topics deliver its messages in. */
    private void summarise(Observation message, Outcome outcome) {
        OrderState state = message.orderState();
        var facts = message.facts();
        jdbc.sql("""
                insert into order_summary (order_id, customer_id, flow, state, reason, total, saga_id, created_at, last_message_at,
                    messages, compensations, dead_letters, trace_id)
                values (:orderId, :customerId, :flow, :state, :reason, :total, :sagaId, :createdAt, :time, 1, :compensation,
                    :deadLetter, :traceId)
                on conflict (order_id) do update set
                    customer_id = coalesce(order_summary.customer_id, excluded.customer_id),
                    flow = coalesce(order_summary.flow, excluded.flow),
                    state = case when order_summary.state <> 'PENDING' then order_summary.state
                                 when :stateKnown then excluded.state else order_summary.state end,
                    reason = coalesce(excluded.reason, order_summary.reason),
                    total = coalesce(order_summary.total, excluded.total),
                    saga_id = coalesce(order_summary.saga_id, excluded.saga_id),
                    created_at = least(order_summary.created_at, excluded.created_at),
                    last_message_at = greatest(order_summary.last_message_at, excluded.last_message_at),
                    messages = order_summary.messages + 1,
                    compensations = order_summary.compensations + excluded.compensations,
                    dead_letters = order_summary.dead_letters + excluded.dead_letters,
                    trace_id = coalesce(order_summary.trace_id, excluded.trace_id)
                """)
                .param("orderId", message.orderId())
                .param("customerId", facts.customerId())
                .param("flow", facts.flow())
                .param("state", (state == null ? OrderState.PENDING : state).name())
                .param("stateKnown", state != null)
                .param("reason", "OrderRejected".equals(message.eventType()) ? facts.reason() : null)
                .param("total", facts.total())
                .param("sagaId", facts.sagaId())
                .param("createdAt", Timestamp.from(facts.createdAt() != null ? facts.createdAt() : message.time()))
                .param("time", Timestamp.from(message.time()))
                .param("compensation", outcome == Outcome.COMPENSATION ? 1 : 0)
                .param("deadLetter", outcome == Outcome.DEAD_LETTERED ? 1 : 0)
                .param("traceId", message.traceId())
                .update();
    }

    /** The list's filters; null means any. {@code stuck}: PENDING with no message for {@code stuckAfter}, or dead-lettered. */
    public record OrderFilter(String state, String flow, String customerId, Duration minAge, Duration maxAge, Boolean stuck) {
    }

    public record OrderRow(UUID orderId, String customerId, String flow, String state, String reason, BigDecimal total, UUID sagaId,
                           Instant createdAt, Instant lastMessageAt, int messages, int compensations, int deadLetters, String traceId,
                           boolean stuck) {
    }

    public record Page(List<OrderRow> rows, long total) {
    }

    public Page orders(OrderFilter filter, Duration stuckAfter, Instant now, int offset, int limit) {
        StringBuilder where = new StringBuilder(" where true");
        var params = new java.util.LinkedHashMap<String, Object>();
        Timestamp stuckBefore = Timestamp.from(now.minus(stuckAfter));
        params.put("stuckBefore", stuckBefore);
        if (filter.state() != null) {
            where.append(" and state = :state");
            params.put("state", filter.state());
        }
        if (filter.flow() != null) {
            where.append(" and flow = :flow");
            params.put("flow", filter.flow());
        }
        if (filter.customerId() != null) {
            where.append(" and customer_id = :customerId");
            params.put("customerId", filter.customerId());
        }
        if (filter.minAge() != null) {
            where.append(" and created_at <= :createdBefore");
            params.put("createdBefore", Timestamp.from(now.minus(filter.minAge())));
        }
        if (filter.maxAge() != null) {
            where.append(" and created_at >= :createdAfter");
            params.put("createdAfter", Timestamp.from(now.minus(filter.maxAge())));
        }
        String stuck = "(state = 'PENDING' and (last_message_at < :stuckBefore or dead_letters > 0))";
        if (filter.stuck() != null) {
            where.append(filter.stuck() ? " and " + stuck : " and not " + stuck);
        }
        long total = jdbc.sql("select count(*) from order_summary" + where).params(params).query(Long.class).single();
        params.put("offset", offset);
        params.put("limit", limit);
        List<OrderRow> rows = jdbc.sql("select *, " + stuck + " as stuck from order_summary" + where
                        + " order by created_at desc, order_id offset :offset limit :limit")
                .params(params).query(TimelineStore::orderRow).list();
        return new Page(rows, total);
    }

    public Optional<OrderRow> order(UUID orderId, Duration stuckAfter, Instant now) {
        return jdbc.sql("select *, (state = 'PENDING' and (last_message_at < :stuckBefore or dead_letters > 0)) as stuck"
                        + " from order_summary where order_id = :orderId")
                .param("stuckBefore", Timestamp.from(now.minus(stuckAfter))).param("orderId", orderId)
                .query(TimelineStore::orderRow).optional();
    }

    public record MessageRow(long id, String topic, int partition, long offset, String key, UUID orderId, String eventId,
                             String eventType, String causationId, String traceId, String sender, String answers, String outcome,
                             Instant time,
                             String originalTopic, String consumerGroup, String error, Map<String, String> headers, String payload,
                             int attempt, boolean replayed) {

        public String coordinates() {
            return topic + ":" + partition + "@" + offset;
        }
    }

    /**
     * The order's messages by record time. {@code attempt} counts the records of that type (for a reply: answering that
     * command) for the order so far on that topic (a re-sent command, a redelivery, a replay); {@code replayed} marks a dead letter whose event id
     * appeared on its original topic again afterwards.
     */
    public List<MessageRow> timeline(UUID orderId) {
        return jdbc.sql(MESSAGE_SELECT + " where m.order_id = :orderId order by m.record_time, m.id")
                .param("orderId", orderId).query(this::messageRow).list();
    }

    public Optional<MessageRow> message(long id) {
        return jdbc.sql(MESSAGE_SELECT + " where m.id = :id").param("id", id).query(this::messageRow).optional();
    }

    public Optional<MessageRow> deadLetter(String topic, int partition, long offset) {
        return jdbc.sql(MESSAGE_SELECT + " where m.topic = :topic and m.partition_no = :partition and m.offset_no = :offset"
                        + " and m.original_topic is not null")
                .param("topic", topic).param("partition", partition).param("offset", offset).query(this::messageRow).optional();
    }

    /** Newest first; {@code pendingOnly} leaves out the ones replayed since. */
    public List<MessageRow> deadLetters(boolean pendingOnly, int limit) {
        String sql = "select * from (" + MESSAGE_SELECT + " where m.original_topic is not null) d"
                + (pendingOnly ? " where not d.replayed" : "") + " order by d.record_time desc, d.id desc limit :limit";
        return jdbc.sql(sql).param("limit", limit).query(this::messageRow).list();
    }

    private static final String MESSAGE_SELECT = """
            select m.*,
                (select count(*) from observed_message p where p.order_id is not distinct from m.order_id and p.topic = m.topic
                    and p.event_type is not distinct from m.event_type and p.answers is not distinct from m.answers
                    and p.id <= m.id) as attempt,
                (m.original_topic is not null and exists (select 1 from observed_message r where r.event_id = m.event_id
                    and r.topic = m.original_topic and r.id > m.id)) as replayed
            from observed_message m""";

    private static OrderRow orderRow(ResultSet rs, int row) throws SQLException {
        return new OrderRow(rs.getObject("order_id", UUID.class), rs.getString("customer_id"), rs.getString("flow"),
                rs.getString("state"), rs.getString("reason"), rs.getBigDecimal("total"), rs.getObject("saga_id", UUID.class),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("last_message_at").toInstant(), rs.getInt("messages"),
                rs.getInt("compensations"), rs.getInt("dead_letters"), rs.getString("trace_id"), rs.getBoolean("stuck"));
    }

    @SuppressWarnings("unchecked")
    private MessageRow messageRow(ResultSet rs, int row) throws SQLException {
        Map<String, String> headers = json.readValue(rs.getString("headers"), Map.class);
        return new MessageRow(rs.getLong("id"), rs.getString("topic"), rs.getInt("partition_no"), rs.getLong("offset_no"),
                rs.getString("record_key"), rs.getObject("order_id", UUID.class), rs.getString("event_id"), rs.getString("event_type"),
                rs.getString("causation_id"), rs.getString("trace_id"), rs.getString("sender"), rs.getString("answers"), rs.getString("outcome"),
                rs.getTimestamp("record_time").toInstant(), rs.getString("original_topic"), rs.getString("consumer_group"),
                rs.getString("error"), headers, rs.getString("payload"), rs.getInt("attempt"), rs.getBoolean("replayed"));
    }

    /** For tests and the page's header: how many records the console has seen. */
    public long messageCount() {
        return jdbc.sql("select count(*) from observed_message").query(Long.class).single();
    }
}
