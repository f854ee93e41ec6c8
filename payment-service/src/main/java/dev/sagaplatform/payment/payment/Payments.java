package dev.sagaplatform.payment.payment;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.messaging.ids.IdGenerator;
import dev.sagaplatform.messaging.simulation.PlantedBugs;
import dev.sagaplatform.payment.customer.Customer;
import dev.sagaplatform.payment.customer.CustomerStore;
import dev.sagaplatform.payment.payment.domain.PaymentDecisions;
import dev.sagaplatform.payment.payment.domain.PaymentDecisions.Authorization;
import dev.sagaplatform.payment.payment.GatewayReturnQueue.Kind;
import dev.sagaplatform.payment.payment.gateway.ChargeKeys;
import dev.sagaplatform.payment.payment.gateway.GatewayRefusedException;
import dev.sagaplatform.payment.payment.gateway.GatewayUnavailableException;
import dev.sagaplatform.payment.payment.gateway.PaymentGateway;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The payment participant's two operations, shared by both saga flows. Each runs in the caller's
 * transaction (the message handler's, with its inbox row) and holds the customer's row lock while it
 * charges at the gateway, so one customer's money moves one order at a time. Money going back (refunds,
 * voids) is recorded in that transaction ({@link GatewayReturnQueue}) and sent after it commits.
 *
 * <p>Holding a row lock across an HTTP call is a deliberate trade-off: it keeps "check credit, charge,
 * debit" atomic per customer with no extra reservation state; the gateway call is bounded by its
 * resilience policies (3 attempts of at most 2 s each, see docs/resilience.md), and only that
 * customer's other payments wait.
 */
@Service
public class Payments {

    private static final Logger log = LoggerFactory.getLogger(Payments.class);

    private final PaymentStore payments;
    private final CustomerStore customers;
    private final PaymentGateway gateway;
    private final GatewayReturnQueue returns;
    private final Clock clock;
    private final IdGenerator ids;
    private final PlantedBugs plantedBugs;
    private final MeterRegistry meters;

    public Payments(PaymentStore payments, CustomerStore customers, PaymentGateway gateway, GatewayReturnQueue returns,
                    Clock clock, IdGenerator ids, PlantedBugs plantedBugs, MeterRegistry meters) {
        this.payments = payments;
        this.customers = customers;
        this.gateway = gateway;
        this.returns = returns;
        this.clock = clock;
        this.ids = ids;
        this.plantedBugs = plantedBugs;
        this.meters = meters;
    }

    /** Authorizes {@code amount} for the order, or declines; asking again returns the first outcome. */
    @Transactional
    public Payment authorize(UUID orderId, String customerId, BigDecimal amount) {
        Optional<Customer> customer = customers.findForUpdate(customerId);
        Optional<Payment> existing = payments.findForUpdate(orderId);
        Authorization decision = PaymentDecisions.authorize(existing.map(Payment::status).orElse(null),
                customer.map(Customer::availableCredit).orElse(null), amount);
        if (decision instanceof Authorization.Decline decline) {
            if (amount != null && amount.signum() > 0) {
                // This may be a redelivery whose first delivery charged the gateway and then crashed before it
                // committed; the credit it found has been spent by other orders since. Its charge must not stay:
                // the key's void goes out with the decline (a key never charged costs one call). Found by the
                // deterministic simulator (docs/simulation.md).
                returns.schedule(orderId, Kind.VOID, amount);
            }
            return decline(orderId, customerId, amount, decline.reason(), decline.detail());
        }
        if (decision instanceof Authorization.Charge) {
            return charge(orderId, customer.orElseThrow(), amount);
        }
        return existing.orElseThrow(); // already decided: the first outcome stands
    }

    private Payment charge(UUID orderId, Customer customer, BigDecimal amount) {
        UUID chargeId;
        try {
            chargeId = gateway.charge(ChargeKeys.perAttempt(orderId, plantedBugs, ids), orderId, customer.customerId(), amount);
        } catch (GatewayRefusedException e) {
            return decline(orderId, customer.customerId(), amount, RejectionReason.PAYMENT_FAILED, e.getMessage());
        } catch (GatewayUnavailableException e) {
            // Decline at once and keep the partition moving: the gateway stayed unavailable through the retries,
            // or its breaker is open or its bulkhead full. An attempt may still have charged (a cut or lost answer,
            // or an attempt of an earlier delivery that crashed), and this process cannot prove otherwise, so the
            // key's void is recorded with the decline and sent by GatewayReturns once the gateway answers: the
            // customer is never charged for an order that ends REJECTED, and a charge still on its way is refused.
            // Voiding a key that was never charged costs one call.
            returns.schedule(orderId, Kind.VOID, amount);
            return decline(orderId, customer.customerId(), amount, RejectionReason.PAYMENT_FAILED,
                    "payment gateway unavailable: " + e.getMessage() + "; any charge is voided");
        }
        customer.debit(amount);
        Payment payment = payments.save(Payment.authorized(orderId, customer.customerId(), amount, chargeId, clock.instant()));
        meters.counter("payments.authorized").increment();
        log.info("order {} payment AUTHORIZED: {} charged to {}", orderId, amount, customer.customerId());
        return payment;
    }

    private Payment decline(UUID orderId, String customerId, BigDecimal amount, RejectionReason reason, String detail) {
        Payment payment = payments.save(Payment.declined(orderId, customerId, amount, reason, detail, clock.instant()));
        meters.counter("payments.declined", "reason", reason.name()).increment();
        log.info("order {} payment DECLINED: {} ({})", orderId, reason, detail);
        return payment;
    }

    /**
     * Gives an order's money back: the credit at once, the gateway refund through {@link GatewayReturns} once
     * this commits. With no payment recorded yet, records a VOIDED payment and voids the order's gateway key, so
     * an authorization arriving late declines instead of charging.
     *
     * @param customerId used only when no payment exists yet (the payment knows its customer)
     * @param amount     used only when no payment exists yet (the amount the compensation names)
     */
    @Transactional
    public Payment refund(UUID orderId, String customerId, BigDecimal amount, RejectionReason reason, String detail) {
        // Same lock order as authorize (customer, then payment), so the two never deadlock.
        String owner = payments.findCustomerId(orderId).orElse(customerId);
        Optional<Customer> customer = owner == null ? Optional.empty() : customers.findForUpdate(owner);
        Optional<Payment> existing = payments.findForUpdate(orderId);
        return switch (PaymentDecisions.refund(existing.map(Payment::status).orElse(null))) {
            case REFUND -> {
                Payment payment = existing.orElseThrow();
                // The credit first: a refund that would give back more than is in use fails before anything is recorded.
                customer.orElseThrow(() -> new IllegalStateException("payment of order " + orderId
                        + " belongs to unknown customer " + payment.customerId())).credit(payment.amount());
                returns.schedule(orderId, Kind.REFUND, payment.amount());
                payment.refunded(reason, detail, clock.instant());
                meters.counter("payments.refunded").increment();
                log.info("order {} payment REFUNDED: {} back to {} ({})", orderId, payment.amount(), payment.customerId(), reason);
                yield payment;
            }
            case VOID_BEFORE_CHARGE -> {
                returns.schedule(orderId, Kind.VOID, amount);
                meters.counter("payments.voided").increment();
                log.info("order {} payment VOIDED before any authorization ({})", orderId, reason);
                yield payments.save(Payment.voided(orderId, owner, amount, reason, detail, clock.instant()));
            }
            case ALREADY_REFUNDED, NOTHING_TO_REFUND -> existing.orElseThrow();
        };
    }
}
