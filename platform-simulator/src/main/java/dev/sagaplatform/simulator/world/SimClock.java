package dev.sagaplatform.simulator.world;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Simulated time: moves only when the event loop takes the next event, in microseconds (PostgreSQL's resolution). */
public final class SimClock extends Clock {

    /** The simulated world starts here; a fixed date keeps histories identical between runs. */
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private long micros;

    public long micros() {
        return micros;
    }

    void advanceTo(long newMicros) {
        if (newMicros < micros) {
            throw new IllegalStateException("time runs backwards: " + newMicros + " < " + micros);
        }
        micros = newMicros;
    }

    @Override
    public Instant instant() {
        return EPOCH.plusNanos(micros * 1000);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the simulated clock is UTC only");
    }

    /** {@code 12.345678s}: the time stamp of every history line. */
    public static String format(long micros) {
        return String.format("%d.%06ds", micros / 1_000_000, micros % 1_000_000);
    }
}
