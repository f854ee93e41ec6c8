package dev.sagaplatform.payment.payment;

import java.util.Optional;
import java.util.UUID;

/** Where orders' payments are kept, as the payment participant reads and writes them; {@link PaymentRepository} in production. */
public interface PaymentStore {

    /** The order's payment, locked until the transaction ends; taken after the customer's lock (see {@link Payments}). */
    Optional<Payment> findForUpdate(UUID orderId);

    /** Which customer the order's payment belongs to, read without a lock; empty while the order has no payment. */
    Optional<String> findCustomerId(UUID orderId);

    /** Stores a new payment (its order id must not have one yet) or the changes of one read in this transaction. */
    Payment save(Payment payment);
}
