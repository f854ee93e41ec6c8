package dev.sagaplatform.cli.bench;

import java.util.OptionalDouble;

/**
 * Finds the highest rate that holds (see {@link Step}): up by {@code factor} while steps hold; after
 * the first failure, one step halfway between the last rate that held and the one that failed; if even
 * the first rate fails, down by half until one holds. At most {@code maxSteps} steps.
 */
final class RateSearch {

    private final double factor;
    private final int maxSteps;
    private double next;
    private double highestHeld = Double.NaN;
    private double lowestFailed = Double.NaN;
    private boolean refined;
    private int steps;

    RateSearch(double start, double factor, int maxSteps) {
        if (!(start > 0) || !(factor > 1) || maxSteps < 1) {
            throw new IllegalArgumentException("need start > 0, factor > 1, maxSteps >= 1");
        }
        this.next = start;
        this.factor = factor;
        this.maxSteps = maxSteps;
    }

    /** The next rate to try, or empty when the search is over. */
    OptionalDouble next() {
        return steps >= maxSteps || next < 0.5 ? OptionalDouble.empty() : OptionalDouble.of(next);
    }

    void record(double rate, boolean held) {
        steps++;
        if (held) {
            highestHeld = Double.isNaN(highestHeld) ? rate : Math.max(highestHeld, rate);
        } else {
            lowestFailed = Double.isNaN(lowestFailed) ? rate : Math.min(lowestFailed, rate);
        }
        if (Double.isNaN(lowestFailed)) {
            next = round(rate * factor);
        } else if (Double.isNaN(highestHeld)) {
            next = round(rate / 2);
        } else if (!refined && lowestFailed - highestHeld > 1) {
            refined = true;
            next = round((highestHeld + lowestFailed) / 2);
        } else {
            next = -1;
        }
    }

    /** The highest rate that held, if any did. */
    OptionalDouble sustained() {
        return Double.isNaN(highestHeld) ? OptionalDouble.empty() : OptionalDouble.of(highestHeld);
    }

    private static double round(double rate) {
        return rate >= 10 ? Math.round(rate) : Math.round(rate * 10) / 10.0;
    }
}
