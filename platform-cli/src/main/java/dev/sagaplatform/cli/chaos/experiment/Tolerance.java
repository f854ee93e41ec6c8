package dev.sagaplatform.cli.chaos.experiment;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/** What a probe's value must be for the steady state to hold (Chaos Toolkit's tolerance kinds). */
public sealed interface Tolerance {

    boolean accepts(Object value);

    String describe();

    /** The value itself (a status, a number, a string, a boolean). */
    record Equals(Object expected) implements Tolerance {
        @Override
        public boolean accepts(Object value) {
            return same(expected, value);
        }

        @Override
        public String describe() {
            return "== " + text(expected);
        }
    }

    /** One of these values. */
    record OneOf(List<Object> allowed) implements Tolerance {
        @Override
        public boolean accepts(Object value) {
            return allowed.stream().anyMatch(a -> same(a, value));
        }

        @Override
        public String describe() {
            return "in " + allowed.stream().map(Tolerance::text).toList();
        }
    }

    /** A number within [min, max]; either bound may be missing. */
    record Range(Double min, Double max) implements Tolerance {
        @Override
        public boolean accepts(Object value) {
            Double number = number(value);
            return number != null && (min == null || number >= min) && (max == null || number <= max);
        }

        @Override
        public String describe() {
            return min != null && max != null ? "in [" + text(min) + ", " + text(max) + "]" : min != null ? ">= " + text(min) : "<= " + text(max);
        }
    }

    /** A string matching a regular expression. */
    record Regex(String pattern) implements Tolerance {
        @Override
        public boolean accepts(Object value) {
            return value != null && String.valueOf(value).matches(pattern);
        }

        @Override
        public String describe() {
            return "matches /" + pattern + "/";
        }
    }

    private static boolean same(Object expected, Object value) {
        Double a = number(expected);
        Double b = number(value);
        if (a != null && b != null) {
            return a.doubleValue() == b.doubleValue();
        }
        return Objects.equals(String.valueOf(expected), String.valueOf(value));
    }

    /** A value as written: 200, not 200.0. */
    static String text(Object value) {
        if (value instanceof Double number && number == Math.rint(number) && !number.isInfinite()) {
            return String.valueOf(number.longValue());
        }
        return String.valueOf(value);
    }

    static Double number(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text) {
            try {
                return new BigDecimal(text.trim()).doubleValue();
            }
            catch (NumberFormatException ex) {
                return null;
            }
        }
        return null;
    }
}
