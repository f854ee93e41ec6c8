package dev.sagaplatform.gateway.fault;

import dev.sagaplatform.gateway.fault.domain.FaultPlan;
import dev.sagaplatform.gateway.fault.domain.FaultSettings;
import dev.sagaplatform.gateway.fault.domain.FaultUpdate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The fault settings in force, shared by all request threads, and the gate that hung requests wait on.
 * <p>
 * A {@link SmartLifecycle} in the last phase, so that on shutdown it lets hung requests go (they answer
 * 503) before the web server's graceful shutdown starts waiting for them.
 */
@Component
public class FaultInjector implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);

    public enum HangOutcome {
        NOT_HANGING,
        RELEASED,
        TIMED_OUT,
        SHUTTING_DOWN
    }

    /** Settings and hang gate change together, so a request never sees one without the other. */
    private record State(FaultSettings settings, CompletableFuture<Void> hangReleased) {
    }

    private final AtomicReference<State> state =
            new AtomicReference<>(new State(FaultSettings.HEALTHY, CompletableFuture.completedFuture(null)));
    private final long maxHangMs;
    private volatile boolean running;
    private volatile boolean shuttingDown;

    private final Counter latencyInjected;
    private final Counter errorsInjected;
    private final Counter errorsAfterProcessingInjected;
    private final Counter resetsInjected;
    private final Counter hangsInjected;
    private final Counter hangsTimedOut;

    FaultInjector(FaultProperties properties, MeterRegistry registry) {
        this.maxHangMs = properties.maxHang().toMillis();
        latencyInjected = injected(registry, "latency");
        errorsInjected = injected(registry, "error");
        errorsAfterProcessingInjected = injected(registry, "error-after-processing");
        resetsInjected = injected(registry, "reset");
        hangsInjected = injected(registry, "hang");
        hangsTimedOut = injected(registry, "hang-timeout");
        Gauge.builder("gateway.faults.error.rate", this, injector -> injector.settings().errorRate()).register(registry);
        Gauge.builder("gateway.faults.error.after.processing.rate", this, injector -> injector.settings().errorAfterProcessingRate())
                .register(registry);
        Gauge.builder("gateway.faults.latency", this, injector -> injector.settings().latencyMs()).baseUnit("milliseconds").register(registry);
        Gauge.builder("gateway.faults.hang", this, injector -> injector.settings().hang() ? 1 : 0).register(registry);
        Gauge.builder("gateway.faults.reset", this, injector -> injector.settings().reset() ? 1 : 0).register(registry);
    }

    public FaultSettings settings() {
        return state.get().settings();
    }

    /** @throws dev.sagaplatform.gateway.fault.domain.InvalidFaultSettingsException leaving the settings as they were */
    public synchronized FaultSettings update(FaultUpdate update, String changedBy) {
        return replace(settings().with(update), changedBy);
    }

    public synchronized FaultSettings clear(String changedBy) {
        return replace(FaultSettings.HEALTHY, changedBy);
    }

    private FaultSettings replace(FaultSettings next, String changedBy) {
        State current = state.get();
        CompletableFuture<Void> hangReleased = current.hangReleased();
        if (next.hang() && !current.settings().hang()) {
            hangReleased = new CompletableFuture<>();
        }
        else if (!next.hang()) {
            hangReleased.complete(null);
        }
        state.set(new State(next, hangReleased));
        if (!next.equals(current.settings())) {
            log.info("Faults changed by {}: {} (was {})", changedBy, next, current.settings());
        }
        return next;
    }

    /** Blocks the calling request thread while {@code hang} is on, at most the configured maximum. */
    public HangOutcome awaitHangRelease() {
        State current = state.get();
        if (!current.settings().hang()) {
            return HangOutcome.NOT_HANGING;
        }
        hangsInjected.increment();
        try {
            current.hangReleased().get(maxHangMs, TimeUnit.MILLISECONDS);
            return shuttingDown ? HangOutcome.SHUTTING_DOWN : HangOutcome.RELEASED;
        }
        catch (TimeoutException ex) {
            hangsTimedOut.increment();
            return HangOutcome.TIMED_OUT;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return HangOutcome.SHUTTING_DOWN;
        }
        catch (ExecutionException ex) {
            throw new IllegalStateException("The hang gate is only ever completed normally", ex);
        }
    }

    public FaultPlan plan() {
        FaultPlan plan = FaultPlan.draw(settings(), ThreadLocalRandom.current());
        if (plan.delayMs() > 0) {
            latencyInjected.increment();
        }
        switch (plan.action()) {
            case FAIL_BEFORE_PROCESSING -> errorsInjected.increment();
            case RESET_CONNECTION -> resetsInjected.increment();
            default -> {
                // Counted by the caller once it knows processing succeeded: only then was it injected.
            }
        }
        return plan;
    }

    public void errorAfterProcessingInjected() {
        errorsAfterProcessingInjected.increment();
    }

    @Override
    public void start() {
        shuttingDown = false;
        running = true;
    }

    @Override
    public void stop() {
        shuttingDown = true;
        running = false;
        state.get().hangReleased().complete(null);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    private static Counter injected(MeterRegistry registry, String fault) {
        return Counter.builder("gateway.faults.injected").description("Faults injected into charge and refund requests")
                .tag("fault", fault).register(registry);
    }
}
