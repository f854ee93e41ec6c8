package dev.sagaplatform.gateway.charge.persistence;

import dev.sagaplatform.gateway.charge.domain.Charge;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ChargeRepository {

    private static final String COLUMNS = "charge_id, idempotency_key, order_id, customer_id, amount, refunded_amount, created_at";

    private final JdbcClient jdbc;

    ChargeRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Charge> findByIdempotencyKey(String idempotencyKey) {
        return jdbc.sql("select " + COLUMNS + " from charge where idempotency_key = :key")
                .param("key", idempotencyKey)
                .query(ChargeRepository::map)
                .optional();
    }

    public Optional<Charge> findById(UUID chargeId) {
        return jdbc.sql("select " + COLUMNS + " from charge where charge_id = :id")
                .param("id", chargeId)
                .query(ChargeRepository::map)
                .optional();
    }

    public void insert(Charge charge) {
        jdbc.sql("insert into charge (" + COLUMNS + ") values (:id, :key, :orderId, :customerId, :amount, :refunded, :createdAt)")
                .param("id", charge.chargeId())
                .param("key", charge.idempotencyKey())
                .param("orderId", charge.orderId())
                .param("customerId", charge.customerId())
                .param("amount", charge.amount())
                .param("refunded", charge.refundedAmount())
                .param("createdAt", charge.createdAt().atOffset(ZoneOffset.UTC))
                .update();
    }

    public void updateRefundedAmount(Charge charge) {
        jdbc.sql("update charge set refunded_amount = :refunded where charge_id = :id")
                .param("refunded", charge.refundedAmount())
                .param("id", charge.chargeId())
                .update();
    }

    /** Oldest first, so pages stay stable while new charges arrive. */
    public List<Charge> find(ChargeFilter filter, int page, int size) {
        Where where = Where.of(filter);
        return jdbc.sql("select " + COLUMNS + " from charge" + where.sql + " order by created_at, charge_id limit :limit offset :offset")
                .params(where.params)
                .param("limit", size)
                .param("offset", (long) page * size)
                .query(ChargeRepository::map)
                .list();
    }

    public long count(ChargeFilter filter) {
        Where where = Where.of(filter);
        return jdbc.sql("select count(*) from charge" + where.sql).params(where.params).query(Long.class).single();
    }

    private static Charge map(ResultSet rs, int rowNum) throws SQLException {
        return new Charge(
                rs.getObject("charge_id", UUID.class),
                rs.getString("idempotency_key"),
                rs.getObject("order_id", UUID.class),
                rs.getString("customer_id"),
                rs.getBigDecimal("amount"),
                rs.getBigDecimal("refunded_amount"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private record Where(String sql, Map<String, Object> params) {

        static Where of(ChargeFilter filter) {
            List<String> conditions = new ArrayList<>();
            Map<String, Object> params = new LinkedHashMap<>();
            if (filter.orderId() != null) {
                conditions.add("order_id = :orderId");
                params.put("orderId", filter.orderId());
            }
            if (filter.customerId() != null) {
                conditions.add("customer_id = :customerId");
                params.put("customerId", filter.customerId());
            }
            return new Where(conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions), params);
        }
    }
}
