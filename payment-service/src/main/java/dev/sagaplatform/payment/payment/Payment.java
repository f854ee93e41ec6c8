package dev.sagaplatform.payment.payment;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.payment.payment.domain.PaymentStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** One order's payment; its primary key is the order id, so an order is paid at most once. */
@Entity
@Table(name = "payment")
public class Payment {

    @Id
    @Column(name = "order_id")
    private UUID orderId;

    @Column(name = "customer_id")
    private String customerId;

    private BigDecimal amount;

    @Enumerated(EnumType.STRING)
    private PaymentStatus status;

    @Enumerated(EnumType.STRING)
    private RejectionReason reason;

    @Column(name = "reason_detail")
    private String reasonDetail;

    @Column(name = "charge_id")
    private UUID chargeId;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Version
    private long version;

    protected Payment() {
    }

    private Payment(UUID orderId, String customerId, BigDecimal amount, PaymentStatus status,
                    RejectionReason reason, String reasonDetail, UUID chargeId, Instant now) {
        this.orderId = orderId;
        this.customerId = customerId;
        this.amount = amount;
        this.status = status;
        this.reason = reason;
        this.reasonDetail = reasonDetail == null || reasonDetail.length() <= 500 ? reasonDetail : reasonDetail.substring(0, 500);
        this.chargeId = chargeId;
        this.createdAt = now;
        this.updatedAt = createdAt;
    }

    static Payment authorized(UUID orderId, String customerId, BigDecimal amount, UUID chargeId, Instant now) {
        return new Payment(orderId, customerId, amount, PaymentStatus.AUTHORIZED, null, null, chargeId, now);
    }

    static Payment declined(UUID orderId, String customerId, BigDecimal amount, RejectionReason reason, String detail,
                            Instant now) {
        return new Payment(orderId, customerId, amount, PaymentStatus.DECLINED, reason, detail, null, now);
    }

    static Payment voided(UUID orderId, String customerId, BigDecimal amount, RejectionReason reason, String detail,
                          Instant now) {
        return new Payment(orderId, customerId, amount, PaymentStatus.VOIDED, reason, detail, null, now);
    }

    void refunded(RejectionReason reason, String detail, Instant now) {
        this.status = PaymentStatus.REFUNDED;
        this.reason = reason;
        this.reasonDetail = detail;
        this.updatedAt = now;
    }

    public UUID orderId() {
        return orderId;
    }

    public String customerId() {
        return customerId;
    }

    public BigDecimal amount() {
        return amount;
    }

    public PaymentStatus status() {
        return status;
    }

    public RejectionReason reason() {
        return reason;
    }

    public String reasonDetail() {
        return reasonDetail;
    }

    public UUID chargeId() {
        return chargeId;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
