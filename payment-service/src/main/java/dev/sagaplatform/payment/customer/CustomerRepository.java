package dev.sagaplatform.payment.customer;

import jakarta.persistence.LockModeType;
import java.math.BigDecimal;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface CustomerRepository extends JpaRepository<Customer, String>, CustomerStore {

    /** Serializes all money movements of one customer: two orders can never spend the same credit. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select c from Customer c where c.customerId = :customerId")
    @Override
    Optional<Customer> findForUpdate(String customerId);

    /**
     * Creates the customer with all its credit available; 0 when it exists. A concurrent create of the
     * same id waits for the other transaction and then counts 0, so two creates never both win.
     */
    @Modifying
    @Query(value = "insert into customer (customer_id, name, credit_limit, available_credit)"
            + " values (:customerId, :name, :creditLimit, :creditLimit) on conflict (customer_id) do nothing", nativeQuery = true)
    int insertIfAbsent(String customerId, String name, BigDecimal creditLimit);
}
