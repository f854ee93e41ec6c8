package dev.sagaplatform.orchestrator.saga;

import dev.sagaplatform.messaging.consumer.TransientDatabaseFailure;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fires step timeouts and compensation retries. The timers are columns of the saga rows, not
 * in-memory schedules, so they survive a restart and any instance can fire them: each saga is claimed
 * with {@code for update skip locked} in its own transaction, which also writes the commands it sends.
 */
@Component
class DeadlinePoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeadlinePoller.class);

    private final SagaOrchestrator orchestrator;
    private final TransactionTemplate transactions;
    private final OrchestratorProperties.Poller settings;
    private ScheduledExecutorService scheduler;

    DeadlinePoller(SagaOrchestrator orchestrator, PlatformTransactionManager transactionManager,
                   OrchestratorProperties properties) {
        this.orchestrator = orchestrator;
        this.transactions = new TransactionTemplate(transactionManager);
        this.settings = properties.poller();
    }

    /** Consecutive failures of one saga's transition before it is parked; a transient database error does not count. */
    static final int FAILURES_BEFORE_PARKING = 3;

    /** Sagas whose transition failed, and how often in a row; only failing sagas are here, so it stays small. */
    private final Map<UUID, Integer> failures = new ConcurrentHashMap<>();
    private final Predicate<Throwable> isTransient = new TransientDatabaseFailure();

    /**
     * One look: handles due sagas until none is left or the batch is full; returns how many were handled.
     * The oldest due saga is always claimed first, so one whose transition throws every time would be
     * claimed again and again while every other deadline waited: after {@value #FAILURES_BEFORE_PARKING}
     * failures in a row it is parked (STUCK, with the error in its history) and the poller moves on.
     */
    int pollOnce() {
        int handled = 0;
        while (handled < settings.batchSize()) {
            try {
                if (!Boolean.TRUE.equals(transactions.execute(status -> orchestrator.handleNextDue()))) {
                    break;
                }
            } catch (SagaTransitionFailedException e) {
                if (isTransient.test(e.getCause())) {
                    throw e; // the database, not the saga: the next look retries it
                }
                int times = failures.merge(e.sagaId(), 1, Integer::sum);
                if (times < FAILURES_BEFORE_PARKING) {
                    throw e;
                }
                failures.remove(e.sagaId());
                String error = "moving the saga on failed " + times + " times: " + e.getCause();
                transactions.executeWithoutResult(status -> orchestrator.parkAfterFailures(e.sagaId(), error));
                log.error("saga {} parked: {}", e.sagaId(), error, e.getCause());
            }
            handled++;
        }
        return handled;
    }

    private void pollQuietly() {
        try {
            pollOnce();
        } catch (RuntimeException e) {
            // The saga stays due and the next look retries it; the poller must outlive database hiccups.
            log.warn("deadline poll failed, retrying in {}: {}", settings.interval(), e.toString());
        }
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "saga-deadline-poller");
            thread.setDaemon(true);
            return thread;
        });
        long millis = settings.interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::pollQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                // Let a poll in flight finish its transaction rather than interrupt it mid-way.
                if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                    scheduler.shutdownNow();
                }
            } catch (InterruptedException e) {
                scheduler.shutdownNow();
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
