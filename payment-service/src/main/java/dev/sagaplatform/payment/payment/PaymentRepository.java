package dev.sagaplatform.payment.payment;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface PaymentRepository extends JpaRepository<Payment, UUID>, PaymentStore {

    Page<Payment> findByCustomerId(String customerId, Pageable pageable);

    /** Taken after the customer's lock, so two messages for one order cannot both act on a stale status. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select p from Payment p where p.orderId = :orderId")
    @Override
    Optional<Payment> findForUpdate(UUID orderId);

    @Query("select p.customerId from Payment p where p.orderId = :orderId")
    @Override
    Optional<String> findCustomerId(UUID orderId);
}
