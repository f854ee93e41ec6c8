package dev.sagaplatform.simulator.services;

import dev.sagaplatform.gateway.charge.domain.Charge;
import dev.sagaplatform.gateway.charge.domain.ChargeDecisions;
import dev.sagaplatform.gateway.charge.domain.ChargeOutcome;
import dev.sagaplatform.gateway.charge.domain.ChargeRequest;
import dev.sagaplatform.gateway.charge.domain.ChargeVoidedException;
import dev.sagaplatform.gateway.charge.domain.IdempotencyKeyReusedException;
import dev.sagaplatform.gateway.charge.domain.Refund;
import dev.sagaplatform.gateway.charge.domain.RefundExceedsChargeException;
import dev.sagaplatform.gateway.charge.domain.RefundOutcome;
import dev.sagaplatform.gateway.charge.domain.RefundRequest;
import dev.sagaplatform.gateway.charge.domain.RefundStatus;
import dev.sagaplatform.payment.payment.GatewayReturnRetries;
import dev.sagaplatform.payment.payment.gateway.ChargeAnswers;
import dev.sagaplatform.payment.payment.gateway.ChargeKeys;
import dev.sagaplatform.payment.payment.gateway.GatewayRefusedException;
import dev.sagaplatform.payment.payment.gateway.GatewayUnavailableException;
import dev.sagaplatform.payment.payment.gateway.PaymentGateway;
import dev.sagaplatform.simulator.store.SimulatedCrash;
import dev.sagaplatform.simulator.world.Faults;
import dev.sagaplatform.simulator.world.World;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The payment gateway, decided by its real {@link ChargeDecisions} (idempotent charges and refunds by key, a void
 * that refuses a later charge), and the client side as payment-service runs it: up to {@value #ATTEMPTS} attempts
 * per charge, each attempt asking for its key, answers read by the real {@link ChargeAnswers}. The gateway is
 * another company's system: it never crashes here and its books are never rolled back.
 */
public final class SimulatedGateway implements PaymentGateway {

    /** The client's Resilience4j retry: 3 attempts (docs/resilience.md). */
    static final int ATTEMPTS = 3;

    private final World world;
    private final Map<String, Charge> chargesByKey = new LinkedHashMap<>();
    private final Map<String, Refund> refundsByKey = new LinkedHashMap<>();
    private final Set<String> voidedChargeKeys = new HashSet<>();
    private long changes;
    private long changesSeen;

    SimulatedGateway(World world) {
        this.world = world;
    }

    @Override
    public UUID charge(Supplier<String> keyPerAttempt, UUID orderId, String customerId, BigDecimal amount) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            String key = keyPerAttempt.get();
            Faults.GatewayAnswer answer = world.faults().gatewayAnswer();
            switch (answer) {
                case UNAVAILABLE -> world.record("gateway unavailable for charge " + key);
                case SLOW_AFTER_CHARGING -> {
                    try {
                        decideCharge(key, orderId, customerId, amount);
                    } catch (GatewayRefusedException refusedTooLate) {
                        // The refusal did not reach the client either.
                    }
                    if (world.recording()) {
                        world.record("gateway answered " + key + " after the client's time limit");
                    }
                }
                case OK -> {
                    Charge charge = decideCharge(key, orderId, customerId, amount);
                    if (world.faults().crashesNow()) {
                        throw new SimulatedCrash("in payment-service after the gateway charged " + key);
                    }
                    return ChargeAnswers.paidCharge(orderId, charge.chargeId(), charge.status().name());
                }
            }
        }
        throw new GatewayUnavailableException("no answer from the gateway in " + ATTEMPTS + " attempts", null);
    }

    /** What the gateway's ChargeService does under the key's lock. */
    private Charge decideCharge(String key, UUID orderId, String customerId, BigDecimal amount) {
        Optional<Charge> existing = Optional.ofNullable(chargesByKey.get(key));
        boolean voided = existing.isEmpty() && voidedChargeKeys.contains(key);
        try {
            ChargeOutcome outcome = ChargeDecisions.charge(new ChargeRequest(key, orderId, customerId, amount), existing,
                    voided, world.random().next(), world.clock().instant());
            chargesByKey.put(key, outcome.charge());
            changes++;
            if (!outcome.replay()) {
                if (world.recording()) {
                    world.record("gateway CHARGED " + key + " " + amount);
                }
            }
            return outcome.charge();
        } catch (ChargeVoidedException | IdempotencyKeyReusedException e) {
            throw new GatewayRefusedException(e.getMessage(), e);
        }
    }

    /** payment-service's refund-or-void of an order (GatewayReturns), as the gateway answers it. */
    GatewayReturnRetries.Outcome refundOrVoid(UUID orderId, BigDecimal amount) {
        Faults.GatewayAnswer answer = world.faults().gatewayAnswer();
        if (answer == Faults.GatewayAnswer.UNAVAILABLE) {
            return GatewayReturnRetries.Outcome.UNAVAILABLE;
        }
        String chargeKey = ChargeKeys.charge(orderId);
        String refundKey = ChargeKeys.refund(orderId);
        try {
            RefundOutcome outcome = ChargeDecisions.refund(new RefundRequest(refundKey, chargeKey, amount),
                    Optional.ofNullable(refundsByKey.get(refundKey)), Optional.ofNullable(chargesByKey.get(chargeKey)),
                    world.random().next(), world.clock().instant());
            refundsByKey.put(refundKey, outcome.refund());
            changes++;
            if (outcome.chargeAfterRefund() != null) {
                chargesByKey.put(chargeKey, outcome.chargeAfterRefund());
            }
            if (!outcome.replay()) {
                if (outcome.refund().status() == RefundStatus.VOIDED) {
                    voidedChargeKeys.add(chargeKey);
                }
                if (world.recording()) {
                    world.record("gateway " + outcome.refund().status() + " " + chargeKey + " " + amount);
                }
            }
        } catch (IdempotencyKeyReusedException | RefundExceedsChargeException e) {
            if (world.recording()) {
                world.record("gateway refused the return of order " + orderId + ": " + e.getMessage());
            }
            return GatewayReturnRetries.Outcome.REFUSED;
        }
        // A slow answer arrives after the client gave up: done at the gateway, unknown to payment-service.
        return answer == Faults.GatewayAnswer.SLOW_AFTER_CHARGING
                ? GatewayReturnRetries.Outcome.UNAVAILABLE : GatewayReturnRetries.Outcome.CONFIRMED;
    }

    /** Whether the gateway's books changed since the last call. */
    public boolean changed() {
        boolean changed = changes != changesSeen;
        changesSeen = changes;
        return changed;
    }

    /** Every charge, for the checks. */
    public List<Charge> charges() {
        return new ArrayList<>(chargesByKey.values());
    }

    /** An order charged under two keys, still holding money from both: the double charge the keys exist to prevent. */
    String doubleCharge() {
        Map<UUID, Integer> live = new LinkedHashMap<>();
        for (Charge charge : chargesByKey.values()) {
            if (charge.remainingAmount().signum() > 0 && live.merge(charge.orderId(), 1, Integer::sum) > 1) {
                return "order " + charge.orderId() + " is charged twice at the gateway (keys "
                        + chargesByKey.values().stream().filter(c -> c.orderId().equals(charge.orderId()))
                        .map(Charge::idempotencyKey).toList() + ")";
            }
        }
        return null;
    }
}
