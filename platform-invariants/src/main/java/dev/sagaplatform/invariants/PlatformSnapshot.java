package dev.sagaplatform.invariants;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What {@link InvariantRules} looks at: the stored state of every service once the platform is quiet, as plain data.
 * {@link InvariantCheck} reads it from the running platform's databases and topics; the deterministic simulator builds
 * one from its in-memory stores and broker. Strings hold the values exactly as the services store them. Records keep
 * the collections they are given (no copies, so that a producer can pass its own cheaply): a producer must not change
 * them while the rules run. Where the order of a list is stated, violations are reported in that order.
 *
 * @param orders               every order order-service holds, oldest first
 * @param orchestrator         whether the saga-orchestrator runs; without it, orchestrated orders have no saga to agree with
 * @param sagas                every saga instance saga-orchestrator holds, oldest first (empty without the orchestrator)
 * @param payments             every payment payment-service holds (at most one per order)
 * @param customers            every customer payment-service holds
 * @param charges              every charge the payment gateway holds
 * @param reservations         every reservation inventory-service holds (at most one per order)
 * @param products             every product inventory-service holds
 * @param idempotencyKeys      every Idempotency-Key order-service still holds (expired ones are cleaned up)
 * @param services             each service's outbox and inbox, in the order order-service, payment-service,
 *                             inventory-service, saga-orchestrator (the last only when it runs)
 * @param publishedEventIds    event ids seen on the platform topics; the rules only ask whether each outbox row's id is
 *                             among them, so a producer may limit it to the outbox rows' ids it saw published
 */
public record PlatformSnapshot(
        List<Order> orders,
        boolean orchestrator,
        List<Saga> sagas,
        List<Payment> payments,
        List<Customer> customers,
        List<Charge> charges,
        List<Reservation> reservations,
        List<Product> products,
        List<IdempotencyKey> idempotencyKeys,
        List<ServiceMessages> services,
        Set<UUID> publishedEventIds) {

    /**
     * An order in order-service.
     *
     * @param customerId the customer it was placed for
     * @param status     {@code PENDING}, {@code APPROVED} or {@code REJECTED}
     * @param flow       {@code CHOREOGRAPHY} or {@code ORCHESTRATION}
     * @param total      the order's total as stored (scale 2)
     * @param lines      quantity per SKU over the order's lines
     * @param createdAt  when it was accepted
     */
    public record Order(UUID id, String customerId, String status, String flow, BigDecimal total, Map<String, Long> lines,
                        Instant createdAt) {

        boolean approved() {
            return "APPROVED".equals(status);
        }
    }

    /**
     * A saga instance in saga-orchestrator.
     *
     * @param state       {@code STARTED}, {@code COMPENSATING}, {@code COMPLETED}, {@code COMPENSATED} or {@code STUCK}
     * @param currentStep the step it is at (its name as stored, e.g. {@code RESERVE_STOCK})
     */
    public record Saga(UUID id, UUID orderId, String state, String currentStep) {
    }

    /**
     * A payment in payment-service.
     *
     * @param status {@code AUTHORIZED}, {@code DECLINED}, {@code REFUNDED} or {@code VOIDED}
     */
    public record Payment(UUID orderId, String status) {
    }

    /** A customer's credit in payment-service: {@code creditLimit − availableCredit} is what its orders hold. */
    public record Customer(String customerId, BigDecimal creditLimit, BigDecimal availableCredit) {
    }

    /**
     * A charge at the payment gateway; voids and refunds of it are in {@code refundedAmount}.
     *
     * @param chargeId       the gateway's id of the charge
     * @param amount         what was charged
     * @param refundedAmount how much of it was refunded since (0 when nothing was)
     */
    public record Charge(UUID orderId, UUID chargeId, BigDecimal amount, BigDecimal refundedAmount) {
    }

    /**
     * A stock reservation in inventory-service.
     *
     * @param status {@code RESERVED}, {@code RELEASED} or {@code REJECTED}
     */
    public record Reservation(UUID orderId, String status) {
    }

    /**
     * A product's stock in inventory-service ({@code onHand} is not stored: it is {@code available + reserved}).
     *
     * @param reserved units held by reservations
     */
    public record Product(String sku, long reserved) {
    }

    /**
     * An Idempotency-Key in order-service.
     *
     * @param key            the header's value
     * @param state          {@code IN_PROGRESS} or {@code COMPLETED}
     * @param responseStatus the HTTP status the request was answered with; null while {@code IN_PROGRESS}
     * @param orderId        the order it created; null when it created none
     * @param createdAt      when the first request with it arrived
     */
    public record IdempotencyKey(String key, String state, Integer responseStatus, UUID orderId, Instant createdAt) {
    }

    /**
     * One service's messaging tables.
     *
     * @param service             the service id ({@code order-service}, ...; see {@link PlatformAccess})
     * @param outbox              every outbox row it still holds, oldest first
     * @param processedMessageIds ids of the messages its inbox recorded (any consumer); the rules only ask whether an
     *                            outbox row's cause is among them, so a producer may limit it to those causes
     */
    public record ServiceMessages(String service, List<OutboxRow> outbox, Set<UUID> processedMessageIds) {
    }

    /**
     * An outbox row.
     *
     * @param type        the message type ({@code PaymentAuthorized}, ...)
     * @param aggregateId the aggregate (for every saga message: the order id) as text
     * @param causationId the message whose handling wrote this row; null when no message did (HTTP request, poller, operator)
     * @param createdAt   when it was written
     */
    public record OutboxRow(UUID id, String type, String aggregateId, UUID causationId, Instant createdAt) {
    }
}
