package dev.sagaplatform.cli.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The throughput issue's targets, judged from one run: "met" or "missed" with the measured figure. */
final class Targets {

    private Targets() {
    }

    static Map<String, String> judge(BenchResult result) {
        Map<String, String> verdicts = new LinkedHashMap<>();
        result.sustained().forEach((flow, rate) -> verdicts.put("sustained " + flow + " >= 0.30 C",
                verdict(result.ratio(rate) >= 0.30, String.format(Locale.ROOT, "%.3f C (%.1f/s)", result.ratio(rate), rate))));
        step(result, "c/6").ifPresent(step -> verdicts.put("at C/6: saga p50 <= 60 ms, p99 <= 250 ms",
                verdict(step.sagaP50() <= 60 && step.sagaP99() <= 250 && step.refused() == 0, String.format(Locale.ROOT,
                        "p50 %.0f ms, p99 %.0f ms, %d of %d refused", step.sagaP50(), step.sagaP99(), step.refused(), step.sent()))));
        step(result, "overload").ifPresent(step -> {
            double lowest = result.sustained().values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
            verdicts.put("overload: no TIMED_OUT", verdict(step.timedOut() == 0, step.timedOut() + " TIMED_OUT"));
            verdicts.put("overload: refusals p99 <= 50 ms", verdict(step.refusalP99() <= 50,
                    String.format(Locale.ROOT, "p99 %.0f ms over %d refusals", step.refusalP99(), step.refused())));
            verdicts.put("overload: goodput >= 90 % of sustained", verdict(lowest > 0 && step.completedPerSecond() >= 0.9 * lowest,
                    String.format(Locale.ROOT, "%.1f/s of %.1f/s", step.completedPerSecond(), lowest)));
        });
        step(result, "recovery").ifPresent(step -> verdicts.put("15 s after overload: p50 <= 60 ms, p99 <= 250 ms",
                verdict(step.sagaP50() <= 60 && step.sagaP99() <= 250, String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms at %.1f/s",
                        step.sagaP50(), step.sagaP99(), step.offered()))));
        verdicts.put("idle <= 10 % of one core", verdict(result.idleCpuTotal() <= 10,
                String.format(Locale.ROOT, "%.1f %%", result.idleCpuTotal())));
        return verdicts;
    }

    private static Optional<Step> step(BenchResult result, String purpose) {
        return result.steps().stream().filter(step -> step.purpose().equals(purpose)).reduce((first, second) -> second);
    }

    private static String verdict(boolean met, String figure) {
        return (met ? "met" : "MISSED") + " — " + figure;
    }
}
