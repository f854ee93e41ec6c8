package dev.sagaplatform.orchestrator.saga;

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

    /** One look: handles due sagas until none is left or the batch is full; returns how many were handled. */
    int pollOnce() {
        int handled = 0;
        while (handled < settings.batchSize() && Boolean.TRUE.equals(transactions.execute(status -> orchestrator.handleNextDue()))) {
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
