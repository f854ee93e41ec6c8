package dev.sagaplatform.benchmark;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Per system: for every outbox row (by its sequence number, carried in the payload) when its
 * transaction committed and when the benchmark's consumer first saw it, both on this JVM's
 * {@link System#nanoTime()} clock.
 */
final class Ledger {

    private final AtomicLongArray committed;
    private final AtomicLongArray received;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();

    Ledger(int capacity) {
        committed = new AtomicLongArray(capacity);
        received = new AtomicLongArray(capacity);
    }

    /** @return the first of {@code rows} new sequence numbers */
    int reserve(int rows) {
        int first = next.getAndAdd(rows);
        if (first + rows > committed.length()) {
            throw new IllegalStateException("more rows than the ledger was sized for (" + committed.length() + ")");
        }
        return first;
    }

    int reserved() {
        return next.get();
    }

    void committed(int first, int rows, long nanos) {
        for (int seq = first; seq < first + rows; seq++) {
            committed.set(seq, nanos);
        }
    }

    void received(long seq, long nanos) {
        if (seq < 0 || seq >= received.length()) {
            unknown.incrementAndGet();
        } else if (!received.compareAndSet((int) seq, 0, nanos)) {
            duplicates.incrementAndGet();
        }
    }

    boolean isReceived(int seq) {
        return received.get(seq) != 0;
    }

    long duplicates() {
        return duplicates.get();
    }

    /**
     * Waits until every row in {@code [from, to)} has arrived.
     *
     * @return how many rows are still missing when the time is up (0: all there)
     */
    int awaitReceived(int from, int to, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int cursor = from;
        while (true) {
            while (cursor < to && received.get(cursor) != 0) {
                cursor++;
            }
            if (cursor == to) {
                return 0;
            }
            if (System.nanoTime() > deadline) {
                int missing = 0;
                for (int seq = cursor; seq < to; seq++) {
                    missing += received.get(seq) == 0 ? 1 : 0;
                }
                return missing;
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    /** Commit-to-consumer lag of the rows in {@code [from, to)} that arrived, in microseconds. */
    Histogram lagMicros(int from, int to) {
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        for (int seq = from; seq < to; seq++) {
            long arrival = received.get(seq);
            long commit = committed.get(seq);
            if (arrival != 0 && commit != 0) {
                // The consumer can see a row a few microseconds before the writer thread, back from
                // its commit, takes the time: count that as no lag rather than a negative one.
                histogram.recordValue(Math.max(0, arrival - commit) / 1_000);
            }
        }
        return histogram;
    }

    long firstArrival(int from, int to) {
        long first = Long.MAX_VALUE;
        for (int seq = from; seq < to; seq++) {
            long arrival = received.get(seq);
            if (arrival != 0) {
                first = Math.min(first, arrival);
            }
        }
        return first;
    }

    long lastArrival(int from, int to) {
        long last = 0;
        for (int seq = from; seq < to; seq++) {
            last = Math.max(last, received.get(seq));
        }
        return last;
    }
}
