package dev.sagaplatform.order.admission;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission control at the door: how many sagas may be in flight at once, from Little's law.
 * {@code limit = sagas ended per second × target saga latency}, clamped to
 * {@code [minInFlight, maxInFlight]}, re-computed on every {@link #observe}; an order is admitted
 * while {@code in flight < limit}.
 *
 * <p>Why this and not a fixed cap or a rate limiter: what the platform can finish per second changes
 * by an order of magnitude between a cold start (JIT not done) and a warm run, and with the order mix.
 * A fixed cap is either too small for the warm platform or lets a cold one queue for tens of seconds,
 * long enough for step timeouts to fire and compensations to double the work. Tying the limit to the
 * measured completion rate keeps the queue at about {@code targetLatency} of work whatever the
 * capacity is, so an accepted order finishes in about that time and the surplus is refused at once.
 * When there is room the limit grows each round by the ratio of target to actual latency, so it
 * follows a rising load within a few seconds.
 *
 * <p>Plain Java (no Spring, no database): {@link AdmissionMonitor} feeds it what the order table says.
 */
public final class SagaAdmission {

    /**
     * @param minInFlight  never fewer admitted at once, so a platform with nothing ending (cold, idle) still gets work
     * @param maxInFlight  never more, whatever the completion rate says
     * @param targetLatency the queue the limit aims at, in time: about the saga latency accepted orders see under overload
     * @param window       completions are counted over this much of the recent past
     */
    public record Settings(boolean enabled, int minInFlight, int maxInFlight, Duration targetLatency, Duration window) {

        public Settings {
            if (minInFlight < 1 || maxInFlight < minInFlight) {
                throw new IllegalArgumentException("need 1 <= min-in-flight <= max-in-flight, got " + minInFlight + " and " + maxInFlight);
            }
            if (targetLatency.isNegative() || targetLatency.isZero() || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("target-latency and window must be positive");
            }
        }
    }

    /** What the order table said at one moment, and the limit derived from it. */
    public record Snapshot(long inFlight, long endedInWindow, long limit) {
    }

    private final Settings settings;
    private volatile Snapshot snapshot;
    /** Admitted since the snapshot was taken; the next snapshot counts them as in flight. */
    private final AtomicLong admittedSince = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public SagaAdmission(Settings settings) {
        this.settings = settings;
        this.snapshot = new Snapshot(0, 0, settings.minInFlight());
    }

    /** A new reading of the store: sagas in flight now, and sagas that ended within the window. */
    public Snapshot observe(long inFlight, long endedInWindow) {
        double perSecond = endedInWindow / (settings.window().toNanos() / 1e9);
        long littlesLaw = Math.round(perSecond * settings.targetLatency().toNanos() / 1e9);
        Snapshot next = new Snapshot(inFlight, endedInWindow,
                Math.max(settings.minInFlight(), Math.min(settings.maxInFlight(), littlesLaw)));
        snapshot = next;
        admittedSince.set(0);
        return next;
    }

    /** Takes a place for one more saga if there is one; {@link #release} gives it back if the order is not placed after all. */
    public boolean tryAdmit() {
        if (!settings.enabled()) {
            return true;
        }
        Snapshot current = snapshot;
        long admitted = admittedSince.incrementAndGet();
        if (current.inFlight() + admitted > current.limit()) {
            admittedSince.decrementAndGet();
            refused.incrementAndGet();
            return false;
        }
        return true;
    }

    /** The order that was admitted was refused for another reason (bad request, unknown customer): its place is free again. */
    public void release() {
        if (settings.enabled()) {
            admittedSince.updateAndGet(admitted -> Math.max(0, admitted - 1));
        }
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public long inFlightEstimate() {
        return snapshot.inFlight() + admittedSince.get();
    }

    /** Orders refused at the door since start. */
    public long refusedCount() {
        return refused.get();
    }

    public Settings settings() {
        return settings;
    }
}
