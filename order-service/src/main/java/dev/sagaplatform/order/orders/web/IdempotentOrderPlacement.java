package dev.sagaplatform.order.orders.web;

import dev.sagaplatform.order.admission.AtCapacityException;
import dev.sagaplatform.order.admission.SagaAdmission;
import dev.sagaplatform.order.idempotency.Claim;
import dev.sagaplatform.order.idempotency.Fingerprint;
import dev.sagaplatform.order.idempotency.IdempotencyKeyReusedException;
import dev.sagaplatform.order.idempotency.IdempotencyKeys;
import dev.sagaplatform.order.idempotency.RequestInProgressException;
import dev.sagaplatform.order.idempotency.StoredResponse;
import dev.sagaplatform.order.orders.OrderPlacement;
import dev.sagaplatform.order.orders.TransactionRunner;
import dev.sagaplatform.order.orders.domain.Order;
import dev.sagaplatform.order.orders.domain.OrderRequest;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /orders} under an Idempotency-Key: a retried request gets the first answer instead of
 * a second order. The key is claimed before anything else happens, and the order, its
 * {@code OrderCreated} and the stored answer commit in one transaction, so a key never points to an
 * order that does not exist, and no order commits without its key.
 *
 * <p>{@link #place} runs three steps, each public so that the simulator can interleave requests between them:
 * {@link #claim} (its own transaction), {@link #prepare} (no transaction: the other services are asked) and
 * {@link #complete} (one transaction for the order and its key). A step that fails after the claim releases it in
 * a transaction of its own before rethrowing.
 */
@Component
public class IdempotentOrderPlacement {

    private final IdempotencyKeys keys;
    private final OrderPlacement placement;
    private final TransactionRunner transactions;
    private final JsonMapper json;
    private final SagaAdmission admission;

    public IdempotentOrderPlacement(IdempotencyKeys keys, OrderPlacement placement, TransactionRunner transactions,
                                    JsonMapper json, SagaAdmission admission) {
        this.keys = keys;
        this.admission = admission;
        this.placement = placement;
        this.transactions = transactions;
        this.json = json;
    }

    /** The answer, and whether it is a replay of an earlier request's. */
    public record Result(StoredResponse response, boolean replayed) {
    }

    /** Where a request stands after {@link #claim}: answered already, or the owner of its key going on. */
    public sealed interface Claimed {
    }

    public record Answered(Result result) implements Claimed {
    }

    /** The request owns {@code key} and must complete or release it with {@code token}. */
    public record KeyOwned(String key, OrderRequest request, UUID token) implements Claimed {
    }

    /** @param request a request that passed {@link OrderRequest#validate()} */
    public Result place(String key, OrderRequest request) {
        Claimed claimed = claim(key, request);
        if (claimed instanceof Answered answered) {
            return answered.result();
        }
        KeyOwned owned = (KeyOwned) claimed;
        return new Result(complete(owned, prepare(owned)), false);
    }

    /**
     * Admission, then the key's claim in a transaction of its own.
     *
     * @throws IdempotencyKeyReusedException if the key was used for a different request
     * @throws RequestInProgressException    if a request with the key is still being processed
     * @throws AtCapacityException           if no new saga can be taken and the key has no answer to replay
     */
    public Claimed claim(String key, OrderRequest request) {
        String fingerprint = Fingerprint.of(request.canonicalForm());
        if (!admission.tryAdmit()) {
            return new Answered(new Result(answerAtCapacity(key, fingerprint), true));
        }
        Claim claim;
        try {
            claim = transactions.inOwnTransaction(() -> keys.claim(key, fingerprint));
        } catch (RuntimeException e) {
            admission.release();
            throw e;
        }
        if (claim instanceof Claim.Acquired acquired) {
            return new KeyOwned(key, request, acquired.token());
        }
        admission.release(); // no new saga: the answer is a replay, a conflict or a refusal
        if (claim instanceof Claim.Completed completed) {
            return new Answered(new Result(completed.response(), true));
        }
        if (claim instanceof Claim.FingerprintMismatch) {
            throw new IdempotencyKeyReusedException();
        }
        throw new RequestInProgressException(
                "a request with this Idempotency-Key is still being processed; retry shortly to get its result");
    }

    /** Asks the other services, outside any transaction; see {@link OrderPlacement#prepare}. */
    public Order prepare(KeyOwned owned) {
        try {
            return placement.prepare(owned.request());
        } catch (RuntimeException | Error e) {
            abandon(owned, e);
            throw e;
        }
    }

    /**
     * Saves the order and completes its key in one transaction.
     *
     * @throws dev.sagaplatform.order.idempotency.ClaimLostException if the claim was taken over meanwhile
     */
    public StoredResponse complete(KeyOwned owned, Order order) {
        try {
            StoredResponse response = new StoredResponse(HttpStatus.ACCEPTED.value(),
                    json.writeValueAsString(OrderViews.OrderAccepted.of(order)), order.id());
            transactions.inOwnTransaction(() -> {
                placement.save(order);
                keys.complete(owned.key(), owned.token(), response);
                return null;
            });
            return response;
        } catch (RuntimeException | Error e) {
            abandon(owned, e);
            throw e;
        }
    }

    /**
     * No new saga can be taken now. A retry of an order that was already accepted still gets its answer
     * (the client may have lost our 202); anything else is refused with nothing stored, not even the key.
     */
    private StoredResponse answerAtCapacity(String key, String fingerprint) {
        Optional<Claim> existing = transactions.inOwnTransaction(() -> keys.existing(key, fingerprint));
        if (existing.isPresent() && existing.get() instanceof Claim.Completed completed) {
            return completed.response();
        }
        if (existing.isPresent() && existing.get() instanceof Claim.FingerprintMismatch) {
            throw new IdempotencyKeyReusedException();
        }
        SagaAdmission.Snapshot snapshot = admission.snapshot();
        throw new AtCapacityException(admission.inFlightEstimate(), snapshot.limit());
    }

    /**
     * Nothing was stored for a rejected request, so the key must not remember it either: the client may fix the
     * request (or wait for the dependency) and use the same key again. Completing clears the token, so even after a
     * commit whose answer was lost this deletes nothing.
     */
    private void abandon(KeyOwned owned, Throwable failure) {
        admission.release();
        try {
            transactions.inOwnTransaction(() -> {
                keys.release(owned.key(), owned.token());
                return null;
            });
        } catch (RuntimeException releaseFailure) {
            // The claim then expires after the lock timeout and a retry takes it over.
            failure.addSuppressed(releaseFailure);
        }
    }
}
