package dev.sagaplatform.cli.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures of one load run, printed for people and written as JSON for programs ({@code --json}).
 * Counts add up: {@code sent = accepted + refused.total + errors}, and
 * {@code accepted = approved + rejected (by reason) + unfinished}.
 */
public record LoadResult(Offered offered, long sent, long accepted, long approved, Map<String, Long> rejected,
                         Refused refused, long errors, long unfinished, double completedPerSecond,
                         double acceptedPerSecond, Percentiles sagaMillis, Percentiles acceptMillis,
                         Percentiles refusalMillis, List<Second> timeline) {

    public record Offered(double rate, double durationSeconds, String flow, int customers, int skus, int lines) {
    }

    /** Answers that stored nothing: {@code overloaded} is 503 or 429, the platform's "not now". */
    public record Refused(long overloaded, long overloadedWithRetryAfter, long otherClientErrors, long otherServerErrors) {

        public long total() {
            return overloaded + otherClientErrors + otherServerErrors;
        }
    }

    /** Milliseconds; all zero when nothing was recorded. */
    public record Percentiles(long count, double p50, double p90, double p99, double p999, double max) {

        static Percentiles of(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return new Percentiles(0, 0, 0, 0, 0, 0);
            }
            return new Percentiles(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
                    ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()));
        }

        private static double ms(long micros) {
            return Math.round(micros / 100.0) / 10.0;
        }

        String text() {
            return count == 0 ? "none" : String.format(Locale.ROOT, "p50 %s  p90 %s  p99 %s  p99.9 %s  max %s ms",
                    num(p50), num(p90), num(p99), num(p999), num(max));
        }
    }

    /** One second of the run: what happened in it, and the sagas in flight at its end. */
    public record Second(int second, long sent, long accepted, long refused, long ended, long inFlight) {
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    public void print(PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "Offered   %s orders/s for %s s, flow %s, %d customers, %d SKUs, %d line(s) per order%n",
                num(offered.rate()), num(offered.durationSeconds()), offered.flow(), offered.customers(), offered.skus(), offered.lines());
        out.printf(Locale.ROOT, "Sent      %d: accepted %d, refused %d (503/429 %d, of them with Retry-After %d; other 4xx %d; other 5xx %d), no answer %d%n",
                sent, accepted, refused.total(), refused.overloaded(), refused.overloadedWithRetryAfter(), refused.otherClientErrors(),
                refused.otherServerErrors(), errors);
        out.printf(Locale.ROOT, "Outcomes  approved %d, rejected %d%s, unfinished %d%n", approved, rejectedTotal(),
                rejected.isEmpty() ? "" : " " + rejected, unfinished);
        out.printf(Locale.ROOT, "Rate      completed %s sagas/s, accepted %s orders/s (during the run)%n",
                num(completedPerSecond), num(acceptedPerSecond));
        out.println("Saga      accepted -> terminal: " + sagaMillis.text());
        out.println("Accept    intended send -> 202: " + acceptMillis.text());
        out.println("Refusal   intended send -> 503/429: " + refusalMillis.text());
    }

    public void writeJson(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new LoadException("cannot write " + file + ": " + e.getMessage());
        }
    }

    static String num(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
