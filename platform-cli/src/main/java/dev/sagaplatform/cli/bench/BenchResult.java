package dev.sagaplatform.cli.bench;

import java.util.List;
import java.util.Map;

/**
 * Everything one {@code ./platform bench} run measured. Rates are sagas per second; every rate also
 * appears as a ratio to the ceiling {@code ceilingPerSecond} (C) in the report.
 *
 * @param sustained       per flow, the highest offered rate that held for a whole step (absent: none held)
 * @param idleCpuPercent  per process, percent of one core while nothing was offered
 * @param residentMiB     per process at the end of the run
 */
public record BenchResult(String startedAt, String machine, double ceilingPerSecond, Map<String, Double> sustained,
                          List<Step> steps, Map<String, Double> idleCpuPercent, Map<String, Long> residentMiB,
                          Map<String, String> targets) {

    public double ratio(double rate) {
        return ceilingPerSecond > 0 ? rate / ceilingPerSecond : 0;
    }

    public double idleCpuTotal() {
        return idleCpuPercent.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    public long residentTotal() {
        return residentMiB.values().stream().mapToLong(Long::longValue).sum();
    }
}
