package dev.sagaplatform.inventory.stock.persistence;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.inventory.stock.domain.ReservationStatus;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderBy;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Persistable;

/** The stock an order holds, or the memory that it was rejected or released. */
@Entity
@Table(name = "reservations")
public class Reservation implements Persistable<UUID> {

    @Id
    @Column(name = "order_id")
    private UUID orderId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ReservationStatus status;

    @Enumerated(EnumType.STRING)
    private RejectionReason reason;

    private String reasonDetail;

    @Column(nullable = false)
    private Instant createdAt;

    @Column(nullable = false)
    private Instant updatedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "reservation_lines", joinColumns = @JoinColumn(name = "order_id"))
    @OrderBy("sku")
    private List<ReservationLine> lines = new ArrayList<>();

    // The id is the order's, assigned by us: without this flag Spring Data would merge (select, then
    // insert or update) and a concurrent first reservation of the same order could be overwritten
    // instead of failing on the primary key.
    @Transient
    private boolean isNew = true;

    protected Reservation() {
    }

    private Reservation(UUID orderId, ReservationStatus status, RejectionReason reason, String reasonDetail,
                        List<ReservationLine> lines, Instant now) {
        this.orderId = orderId;
        this.status = status;
        this.reason = reason;
        this.reasonDetail = reasonDetail;
        this.lines = new ArrayList<>(lines);
        this.createdAt = now;
        this.updatedAt = now;
    }

    public static Reservation reserved(UUID orderId, List<ReservationLine> lines, Instant now) {
        return new Reservation(orderId, ReservationStatus.RESERVED, null, null, lines, now);
    }

    public static Reservation rejected(UUID orderId, List<ReservationLine> requested, RejectionReason reason,
                                       String detail, Instant now) {
        return new Reservation(orderId, ReservationStatus.REJECTED, reason, detail, requested, now);
    }

    /** A release that came first: no lines, and a late reserve for the order will find it. */
    public static Reservation releasedBeforeReserve(UUID orderId, Instant now) {
        return new Reservation(orderId, ReservationStatus.RELEASED, null, null, List.of(), now);
    }

    public void markReleased(Instant now) {
        this.status = ReservationStatus.RELEASED;
        this.updatedAt = now;
    }

    @Override
    public UUID getId() {
        return orderId;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void markStored() {
        this.isNew = false;
    }

    public UUID orderId() {
        return orderId;
    }

    public ReservationStatus status() {
        return status;
    }

    public RejectionReason reason() {
        return reason;
    }

    public String reasonDetail() {
        return reasonDetail;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public List<ReservationLine> lines() {
        return List.copyOf(lines);
    }
}
