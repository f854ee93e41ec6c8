package dev.sagaplatform.gateway.charge.persistence;

import dev.sagaplatform.gateway.charge.domain.Refund;
import dev.sagaplatform.gateway.charge.domain.RefundStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class RefundRepository {

    private final JdbcClient jdbc;

    RefundRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Refund> findByIdempotencyKey(String idempotencyKey) {
        return jdbc.sql("""
                        select refund_id, idempotency_key, charge_idempotency_key, charge_id, amount, status, created_at
                        from refund where idempotency_key = :key""")
                .param("key", idempotencyKey)
                .query(RefundRepository::map)
                .optional();
    }

    public boolean isChargeKeyVoided(String chargeIdempotencyKey) {
        return jdbc.sql("select exists (select 1 from refund where charge_idempotency_key = :key and status = 'VOIDED')")
                .param("key", chargeIdempotencyKey)
                .query(Boolean.class)
                .single();
    }

    public void insert(Refund refund) {
        jdbc.sql("""
                        insert into refund (refund_id, idempotency_key, charge_idempotency_key, charge_id, amount, status, created_at)
                        values (:id, :key, :chargeKey, :chargeId, :amount, :status, :createdAt)""")
                .param("id", refund.refundId())
                .param("key", refund.idempotencyKey())
                .param("chargeKey", refund.chargeIdempotencyKey())
                .param("chargeId", refund.chargeId(), Types.OTHER)
                .param("amount", refund.amount())
                .param("status", refund.status().name())
                .param("createdAt", refund.createdAt().atOffset(ZoneOffset.UTC))
                .update();
    }

    private static Refund map(ResultSet rs, int rowNum) throws SQLException {
        return new Refund(
                rs.getObject("refund_id", UUID.class),
                rs.getString("idempotency_key"),
                rs.getString("charge_idempotency_key"),
                rs.getObject("charge_id", UUID.class),
                rs.getBigDecimal("amount"),
                RefundStatus.valueOf(rs.getString("status")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
