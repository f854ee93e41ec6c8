package dev.sagaplatform.orchestrator.saga;

import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.contracts.order.OrderCreated;
import dev.sagaplatform.contracts.saga.SagaReply;
import dev.sagaplatform.messaging.ids.IdGenerator;
import dev.sagaplatform.messaging.outbox.Outbox;
import dev.sagaplatform.orchestrator.saga.domain.HistoryEntry;
import dev.sagaplatform.orchestrator.saga.domain.OrderSagaData;
import dev.sagaplatform.orchestrator.saga.domain.ParticipantBacklog;
import dev.sagaplatform.orchestrator.saga.domain.Saga;
import dev.sagaplatform.orchestrator.saga.domain.SagaEvent;
import dev.sagaplatform.orchestrator.saga.domain.SagaState;
import dev.sagaplatform.orchestrator.saga.domain.SagaStateMachine;
import dev.sagaplatform.orchestrator.saga.domain.Transition;
import dev.sagaplatform.orchestrator.saga.persistence.StoredSaga;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The edge around the state machine: load the saga, let the machine decide, then write the new state
 * (guarded by its version), the history and the commands' outbox rows in the caller's transaction.
 * A command therefore leaves only if the state that sent it commits, and a writer that lost a race
 * rolls back instead of sending anything.
 */
@Service
public class SagaOrchestrator {

    private static final Logger log = LoggerFactory.getLogger(SagaOrchestrator.class);

    private final SagaStateMachine<OrderSagaData> machine;
    private final SagaStore sagas;
    private final Outbox outbox;
    private final SagaMetrics metrics;
    private final Clock clock;
    private final ParticipantQueues participants;

    private final IdGenerator ids;

    public SagaOrchestrator(SagaStateMachine<OrderSagaData> machine, SagaStore sagas, Outbox outbox,
                            SagaMetrics metrics, Clock clock, ParticipantQueues participants, IdGenerator ids) {
        this.participants = participants;
        this.ids = ids;
        this.machine = machine;
        this.sagas = sagas;
        this.outbox = outbox;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Starts the order's saga unless it has one already (a redelivered or re-snapshotted OrderCreated). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void start(OrderCreated order) {
        if (order.flow() != SagaFlow.ORCHESTRATION) {
            return; // payment-service drives this order's choreography
        }
        Instant now = now();
        OrderSagaData data = new OrderSagaData(order.orderId(), order.customerId(), order.total(), order.items());
        Transition<OrderSagaData> transition = machine.decide(null, SagaEvent.started(ids.next(), data), now);
        if (!sagas.insert(transition.after(), now)) {
            log.info("order {} already has a saga; OrderCreated ignored", order.orderId());
            return;
        }
        commit(transition, now, now);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void onReply(SagaReply reply) {
        Optional<StoredSaga> stored = sagas.find(reply.sagaId());
        if (stored.isEmpty() || !stored.get().saga().orderId().equals(reply.orderId())) {
            // Nothing to attach it to, and nothing this orchestrator sent: a reply to another deployment's saga.
            log.warn("reply to {} {} names unknown saga {} of order {}; ignored", reply.commandType(),
                    reply.commandId(), reply.sagaId(), reply.orderId());
            return;
        }
        apply(stored.get(), SagaEvent.reply(reply), now());
    }

    /**
     * Handles the saga whose deadline or retry time passed longest ago, if any.
     *
     * @return whether a due saga was found and moved on
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean handleNextDue() {
        Instant now = now();
        return sagas.claimDue(now)
                .map(due -> {
                    try {
                        return apply(due, SagaEvent.deadlinePassed(backlogAt(due.saga(), now)), now).changed();
                    } catch (RuntimeException e) {
                        throw new SagaTransitionFailedException(due.saga().id(), e);
                    }
                })
                .orElse(false);
    }

    /**
     * Parks a saga whose transition keeps failing, with the error in its history; an operator can look
     * at it and retry it once the cause is fixed.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void parkAfterFailures(UUID sagaId, String error) {
        sagas.find(sagaId).ifPresent(stored -> apply(stored, SagaEvent.transitionFailed(error), now()));
    }

    /** Only a passed deadline asks about the participant; a retry timer is due whatever its queue holds. */
    private ParticipantBacklog backlogAt(Saga<OrderSagaData> saga, Instant now) {
        if (saga.nextRetryAt() != null || saga.pendingCommandId() == null) {
            return ParticipantBacklog.unknown();
        }
        Duration waited = sagas.lastSent(saga.id(), saga.pendingCommandId())
                .map(sent -> Duration.between(sent, now)).orElse(machine.policy().maxBusyWait());
        return participants.backlogOf(saga.pendingCommandType(), waited);
    }

    /**
     * Resumes a parked saga: its pending command is sent again with a fresh retry budget.
     *
     * @throws SagaNotFoundException      if there is no such saga
     * @throws SagaNotRetryableException  if it is not STUCK
     * @throws org.springframework.dao.OptimisticLockingFailureException if it changed meanwhile
     */
    @Transactional
    public StoredSaga retry(UUID sagaId) {
        StoredSaga stored = sagas.find(sagaId).orElseThrow(() -> new SagaNotFoundException(sagaId));
        Transition<OrderSagaData> transition = apply(stored, SagaEvent.retryRequested(), now());
        if (transition.refused()) {
            throw new SagaNotRetryableException(transition.refusal());
        }
        return sagas.find(sagaId).orElseThrow(() -> new SagaNotFoundException(sagaId));
    }

    private Transition<OrderSagaData> apply(StoredSaga stored, SagaEvent<OrderSagaData> event, Instant now) {
        Transition<OrderSagaData> transition = machine.decide(stored.saga(), event, now);
        if (transition.refused()) {
            return transition;
        }
        if (transition.changed()) {
            sagas.update(transition.after(), stored.version(), now);
        }
        commit(transition, stored.createdAt(), now);
        return transition;
    }

    private void commit(Transition<OrderSagaData> transition, Instant sagaStarted, Instant now) {
        // Read before this transition's history is written: a reply's command was sent by an earlier one.
        Map<HistoryEntry, Duration> replyLatencies = new LinkedHashMap<>();
        for (HistoryEntry entry : transition.history()) {
            if (SagaMetrics.isReply(entry)) {
                sagas.lastSent(transition.after().id(), entry.commandId())
                        .ifPresent(sent -> replyLatencies.put(entry, durationBetween(sent, entry.at())));
            }
        }
        Duration age = durationBetween(sagaStarted, now);
        sagas.appendHistory(transition.after().id(), transition.history());
        transition.commands().forEach(outbox::append);
        afterCommit(() -> {
            metrics.record(transition, replyLatencies, age);
            logSteps(transition);
        });
    }

    private static void logSteps(Transition<OrderSagaData> transition) {
        Saga<OrderSagaData> saga = transition.after();
        for (HistoryEntry entry : transition.history()) {
            switch (entry.outcome()) {
                case SENT -> log.info("saga {} order {} → {}{}", saga.id(), saga.orderId(), entry.commandType(),
                        saga.reason() == null ? "" : " (" + saga.reason() + ")");
                case RETRIED -> log.info("saga {} order {} → {} again ({})", saga.id(), saga.orderId(),
                        entry.commandType(), entry.detail());
                case SUCCEEDED -> log.debug("saga {} order {} ← {} succeeded", saga.id(), saga.orderId(), entry.commandType());
                case FAILED -> log.info("saga {} order {} ← {} failed: {}", saga.id(), saga.orderId(),
                        entry.commandType(), entry.detail());
                case TIMED_OUT, WAITING -> log.info("saga {} order {}: {}", saga.id(), saga.orderId(), entry.detail());
                case LATE_REPLY_IGNORED -> log.info("saga {} order {} ignored a reply to {} {}: {}", saga.id(),
                        saga.orderId(), entry.commandType(), entry.commandId(), entry.detail());
                case STUCK -> log.warn("saga {} order {} STUCK at {} {}: {}", saga.id(), saga.orderId(), entry.step(),
                        entry.commandType(), entry.detail());
            }
        }
        if (transition.reachedState(SagaState.COMPLETED)) {
            log.info("saga {} order {} COMPLETED", saga.id(), saga.orderId());
        } else if (transition.reachedState(SagaState.COMPENSATED)) {
            log.info("saga {} order {} COMPENSATED: {}", saga.id(), saga.orderId(), saga.reason());
        }
    }

    private static Duration durationBetween(Instant from, Instant to) {
        Duration between = Duration.between(from, to);
        return between.isNegative() ? Duration.ZERO : between;
    }

    private static void afterCommit(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            action.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }

    /** Microseconds, like PostgreSQL: a deadline read back compares exactly as it was decided. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
