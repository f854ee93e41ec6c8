package dev.sagaplatform.gateway.charge;

import dev.sagaplatform.gateway.charge.domain.Charge;
import dev.sagaplatform.gateway.charge.domain.ChargeDecisions;
import dev.sagaplatform.gateway.charge.domain.ChargeOutcome;
import dev.sagaplatform.gateway.charge.domain.ChargeRefusedException;
import dev.sagaplatform.gateway.charge.domain.ChargeRequest;
import dev.sagaplatform.gateway.charge.domain.ChargeVoidedException;
import dev.sagaplatform.gateway.charge.domain.RefundOutcome;
import dev.sagaplatform.gateway.charge.domain.RefundRequest;
import dev.sagaplatform.gateway.charge.domain.RefundStatus;
import dev.sagaplatform.gateway.charge.persistence.ChargeFilter;
import dev.sagaplatform.gateway.charge.persistence.ChargeKeyLock;
import dev.sagaplatform.gateway.charge.persistence.ChargeRepository;
import dev.sagaplatform.gateway.charge.persistence.RefundRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Runs each charge and refund decision in one transaction under the charge key's lock. */
@Service
public class ChargeService {

    private static final Logger log = LoggerFactory.getLogger(ChargeService.class);

    private final ChargeKeyLock chargeKeyLock;
    private final ChargeRepository charges;
    private final RefundRepository refunds;
    private final TransactionTemplate transaction;
    private final GatewayMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    ChargeService(ChargeKeyLock chargeKeyLock, ChargeRepository charges, RefundRepository refunds,
            TransactionTemplate transaction, MeterRegistry registry) {
        this.chargeKeyLock = chargeKeyLock;
        this.charges = charges;
        this.refunds = refunds;
        this.transaction = transaction;
        this.metrics = new GatewayMetrics(registry);
    }

    public ChargeOutcome charge(ChargeRequest request) {
        ChargeOutcome outcome;
        try {
            outcome = inTransactionRetryingKeyRace(() -> {
                chargeKeyLock.lockForTransaction(request.idempotencyKey());
                Optional<Charge> existing = charges.findByIdempotencyKey(request.idempotencyKey());
                boolean voided = existing.isEmpty() && refunds.isChargeKeyVoided(request.idempotencyKey());
                ChargeOutcome decided = ChargeDecisions.charge(request, existing, voided, UUID.randomUUID(), now());
                if (!decided.replay()) {
                    charges.insert(decided.charge());
                }
                return decided;
            });
        }
        catch (ChargeRefusedException ex) {
            metrics.chargeRefused(ex);
            if (ex instanceof ChargeVoidedException) {
                log.info("Refused charge {} for order {}: its key was voided by an earlier refund", request.idempotencyKey(), request.orderId());
            }
            throw ex;
        }
        metrics.charged(outcome);
        log.debug("Charge {} {} ({})", outcome.charge().idempotencyKey(), outcome.replay() ? "replayed" : "captured", outcome.charge().chargeId());
        return outcome;
    }

    public RefundOutcome refund(RefundRequest request) {
        RefundOutcome outcome;
        try {
            outcome = inTransactionRetryingKeyRace(() -> {
                chargeKeyLock.lockForTransaction(request.chargeIdempotencyKey());
                RefundOutcome decided = ChargeDecisions.refund(request, refunds.findByIdempotencyKey(request.idempotencyKey()),
                        charges.findByIdempotencyKey(request.chargeIdempotencyKey()), UUID.randomUUID(), now());
                if (!decided.replay()) {
                    if (decided.chargeAfterRefund() != null) {
                        charges.updateRefundedAmount(decided.chargeAfterRefund());
                    }
                    refunds.insert(decided.refund());
                }
                return decided;
            });
        }
        catch (ChargeRefusedException ex) {
            metrics.refundRefused(ex);
            throw ex;
        }
        metrics.refunded(outcome);
        if (!outcome.replay() && outcome.refund().status() == RefundStatus.VOIDED) {
            log.info("Voided charge key {}: refund {} arrived before any charge", request.chargeIdempotencyKey(), request.idempotencyKey());
        }
        return outcome;
    }

    public Optional<Charge> find(UUID chargeId) {
        return charges.findById(chargeId);
    }

    public ChargePage find(ChargeFilter filter, int page, int size) {
        return new ChargePage(charges.find(filter, page, size), page, size, charges.count(filter));
    }

    /**
     * The charge key lock already serialises requests for one charge key; the unique constraints can
     * still fire for the same refund key sent with two different charge keys at once. The second
     * attempt then finds the winner's row and decides as for any replay.
     */
    private <T> T inTransactionRetryingKeyRace(Supplier<T> work) {
        try {
            return transaction.execute(status -> work.get());
        }
        catch (DuplicateKeyException ex) {
            log.debug("Idempotency key race lost, deciding again: {}", ex.getMessage());
            return transaction.execute(status -> work.get());
        }
    }

    /** PostgreSQL keeps microseconds; a replay must show the same instant as the first answer. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    public record ChargePage(List<Charge> content, int page, int size, long totalElements) {
    }
}
