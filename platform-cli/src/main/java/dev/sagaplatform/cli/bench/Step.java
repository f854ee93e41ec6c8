package dev.sagaplatform.cli.bench;

import dev.sagaplatform.cli.load.LoadResult;
import java.util.List;
import java.util.Map;

/**
 * One load step of the benchmark: what was offered, what came of it, and the CPU each process spent
 * per completed saga during it.
 *
 * @param purpose   why the step ran: {@code search}, {@code c/6}, {@code overload}, {@code recovery}
 * @param timedOut  accepted orders REJECTED {@code TIMED_OUT}: never a business decision
 * @param cpuMillisPerSaga per process; empty when /proc is not readable
 */
public record Step(String purpose, String flow, double offered, double completedPerSecond, long sent, long accepted,
                   long refused, long timedOut, long unfinished, double sagaP50, double sagaP99, double refusalP99,
                   boolean backlogGrew, boolean held, Map<String, Double> cpuMillisPerSaga) {

    /** What the benchmark asks of a sustained rate: p99 within 500 ms, no TIMED_OUT, no backlog growth, (almost) nothing refused. */
    static final double P99_LIMIT_MS = 500;

    static Step of(String purpose, LoadResult result, Map<String, Long> cpuMillis) {
        long timedOut = result.rejected().getOrDefault("TIMED_OUT", 0L);
        boolean backlogGrew = backlogGrew(result.timeline(), (int) Math.round(result.offered().durationSeconds()));
        boolean held = result.sagaMillis().p99() <= P99_LIMIT_MS && timedOut == 0 && result.unfinished() == 0 && !backlogGrew
                && result.refused().total() <= result.sent() / 100 && result.errors() == 0;
        Map<String, Double> perSaga = new java.util.LinkedHashMap<>();
        long ended = result.approved() + result.rejectedTotal();
        if (ended > 0) {
            cpuMillis.forEach((process, millis) -> perSaga.put(process, Math.round(millis * 10.0 / ended) / 10.0));
        }
        return new Step(purpose, result.offered().flow(), result.offered().rate(), result.completedPerSecond(), result.sent(),
                result.accepted(), result.refused().total(), timedOut, result.unfinished(), result.sagaMillis().p50(),
                result.sagaMillis().p99(), result.refusalMillis().p99(), backlogGrew, held, perSaga);
    }

    /**
     * Sagas in flight grew over the sending window: the last third of the window holds clearly more in
     * flight than the middle third, by more than 10 sagas and a quarter (a steady queue is fine; a
     * growing one means the rate is not sustained).
     */
    static boolean backlogGrew(List<LoadResult.Second> timeline, int sendingSeconds) {
        if (sendingSeconds < 6 || timeline.size() < sendingSeconds) {
            return false;
        }
        int third = sendingSeconds / 3;
        double middle = timeline.subList(third, 2 * third).stream().mapToLong(LoadResult.Second::inFlight).average().orElse(0);
        double last = timeline.subList(2 * third, sendingSeconds).stream().mapToLong(LoadResult.Second::inFlight).average().orElse(0);
        return last - middle > Math.max(10, middle / 4);
    }

    double totalCpuMillisPerSaga() {
        return cpuMillisPerSaga.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
