package dev.sagaplatform.simulator.world;

import java.util.ArrayList;
import java.util.List;

/**
 * What happened in a run, one line per event, for a failing seed's report. Kept only when asked for: a passing
 * schedule is not worth the strings, and a failing one is re-run with its seed to get them (the run is the same).
 */
public final class History {

    private final SimClock clock;
    private final List<String> lines;

    private History(SimClock clock, boolean kept) {
        this.clock = clock;
        this.lines = kept ? new ArrayList<>() : null;
    }

    public static History kept(SimClock clock) {
        return new History(clock, true);
    }

    public static History discarded(SimClock clock) {
        return new History(clock, false);
    }

    public boolean isKept() {
        return lines != null;
    }

    public void add(String line) {
        if (lines != null) {
            lines.add(SimClock.format(clock.micros()) + "  " + line);
        }
    }

    public List<String> lines() {
        return lines == null ? List.of() : List.copyOf(lines);
    }
}
