package dev.sagaplatform.order.orders.web;

import dev.sagaplatform.order.admission.AtCapacityException;
import dev.sagaplatform.order.admission.SagaAdmission;
import java.util.Optional;
import dev.sagaplatform.order.idempotency.Claim;
import dev.sagaplatform.order.idempotency.Fingerprint;
import dev.sagaplatform.order.idempotency.IdempotencyKeyReusedException;
import dev.sagaplatform.order.idempotency.IdempotencyKeys;
import dev.sagaplatform.order.idempotency.RequestInProgressException;
import dev.sagaplatform.order.idempotency.StoredResponse;
import dev.sagaplatform.order.orders.OrderPlacement;
import dev.sagaplatform.order.orders.domain.Order;
import dev.sagaplatform.order.orders.domain.OrderRequest;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /orders} under an Idempotency-Key: a retried request gets the first answer instead of
 * a second order. The key is claimed before anything else happens, and the order, its
 * {@code OrderCreated} and the stored answer commit in one transaction, so a key never points to an
 * order that does not exist, and no order commits without its key.
 */
@Component
class IdempotentOrderPlacement {

    private final IdempotencyKeys keys;
    private final OrderPlacement placement;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final SagaAdmission admission;

    IdempotentOrderPlacement(IdempotencyKeys keys, OrderPlacement placement, TransactionTemplate transactions,
                             JsonMapper json, SagaAdmission admission) {
        this.keys = keys;
        this.admission = admission;
        this.placement = placement;
        this.transactions = transactions;
        this.json = json;
    }

    /** The answer, and whether it is a replay of an earlier request's. */
    record Result(StoredResponse response, boolean replayed) {
    }

    /** @param request a request that passed {@link OrderRequest#validate()} */
    Result place(String key, OrderRequest request) {
        String fingerprint = Fingerprint.of(request.canonicalForm());
        if (!admission.tryAdmit()) {
            return new Result(answerAtCapacity(key, fingerprint), true);
        }
        Claim claim;
        try {
            claim = keys.claim(key, fingerprint);
        } catch (RuntimeException e) {
            admission.release();
            throw e;
        }
        if (claim instanceof Claim.Acquired acquired) {
            return new Result(placeClaimed(key, acquired, request), false);
        }
        admission.release(); // no new saga: the answer is a replay, a conflict or a refusal
        if (claim instanceof Claim.Completed completed) {
            return new Result(completed.response(), true);
        }
        if (claim instanceof Claim.FingerprintMismatch) {
            throw new IdempotencyKeyReusedException();
        }
        throw new RequestInProgressException(
                "a request with this Idempotency-Key is still being processed; retry shortly to get its result");
    }

    /**
     * No new saga can be taken now. A retry of an order that was already accepted still gets its answer
     * (the client may have lost our 202); anything else is refused with nothing stored, not even the key.
     */
    private StoredResponse answerAtCapacity(String key, String fingerprint) {
        Optional<Claim> existing = keys.existing(key, fingerprint);
        if (existing.isPresent() && existing.get() instanceof Claim.Completed completed) {
            return completed.response();
        }
        if (existing.isPresent() && existing.get() instanceof Claim.FingerprintMismatch) {
            throw new IdempotencyKeyReusedException();
        }
        SagaAdmission.Snapshot snapshot = admission.snapshot();
        throw new AtCapacityException(admission.inFlightEstimate(), snapshot.limit());
    }

    private StoredResponse placeClaimed(String key, Claim.Acquired claim, OrderRequest request) {
        try {
            Order order = placement.prepare(request);
            StoredResponse response = new StoredResponse(HttpStatus.ACCEPTED.value(),
                    json.writeValueAsString(OrderViews.OrderAccepted.of(order)), order.id());
            transactions.executeWithoutResult(status -> {
                placement.save(order);
                keys.complete(key, claim.token(), response);
            });
            return response;
        } catch (RuntimeException | Error e) {
            admission.release();
            // Nothing was stored for a rejected request, so the key must not remember it either:
            // the client may fix the request (or wait for the dependency) and use the same key again.
            // Completing clears the token, so even after a commit whose answer was lost this deletes nothing.
            try {
                keys.release(key, claim.token());
            } catch (RuntimeException releaseFailure) {
                // The claim then expires after the lock timeout and a retry takes it over.
                e.addSuppressed(releaseFailure);
            }
            throw e;
        }
    }
}
