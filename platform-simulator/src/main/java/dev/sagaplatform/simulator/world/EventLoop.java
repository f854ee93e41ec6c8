package dev.sagaplatform.simulator.world;

import java.util.PriorityQueue;

/**
 * The simulated world's only thread of control: events ordered by time, ties broken by the order they were
 * scheduled in, so that a run never depends on anything but its seed.
 */
public final class EventLoop {

    private record Scheduled(long at, long seq, String name, Runnable action) implements Comparable<Scheduled> {

        @Override
        public int compareTo(Scheduled other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : Long.compare(seq, other.seq);
        }
    }

    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
    private final SimClock clock;
    private long seq;
    private long events;
    private String current = "";

    public EventLoop(SimClock clock) {
        this.clock = clock;
    }

    public void at(long micros, String name, Runnable action) {
        queue.add(new Scheduled(Math.max(micros, clock.micros()), seq++, name, action));
    }

    public void after(long delayMicros, String name, Runnable action) {
        at(clock.micros() + delayMicros, name, action);
    }

    /** Runs the next event; false when none is left or the next one is later than {@code untilMicros}. */
    public boolean step(long untilMicros) {
        Scheduled next = queue.peek();
        if (next == null || next.at > untilMicros) {
            return false;
        }
        queue.poll();
        clock.advanceTo(next.at);
        events++;
        current = next.name;
        next.action.run();
        return true;
    }

    /** What the event running now (or last) is, e.g. {@code payment-service poll}: named in a report of what broke. */
    public String current() {
        return current;
    }

    public long events() {
        return events;
    }
}
