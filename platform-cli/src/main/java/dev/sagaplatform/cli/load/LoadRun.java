package dev.sagaplatform.cli.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One open-loop load run, as wrk2 does it: order {@code i} is due at a fixed time, and every latency
 * is counted from that due time, not from when the request actually left. A platform that stalls
 * therefore shows its stall in the figures instead of quietly slowing the client down (no coordinated
 * omission). Requests are sent asynchronously, so a slow answer never delays the next order.
 */
public final class LoadRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HIGHEST_MICROS = Duration.ofHours(2).toNanos() / 1000;

    private final LoadSpec spec;
    private final LoadTarget target;
    private final HttpClient http;
    private final PrintStream out;
    private final boolean liveProgress;

    private final Map<UUID, Long> acceptedAt = new ConcurrentHashMap<>();
    private final Map<UUID, OutcomeWatcher.Outcome> endedEarly = new HashMap<>();
    private final Map<UUID, OutcomeWatcher.Outcome> ended = new ConcurrentHashMap<>();
    private final Object matching = new Object();

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong overloaded = new AtomicLong();
    private final AtomicLong overloadedWithRetryAfter = new AtomicLong();
    private final AtomicLong otherClientErrors = new AtomicLong();
    private final AtomicLong otherServerErrors = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Histogram acceptMicros = new ConcurrentHistogram(HIGHEST_MICROS, 3);
    private final Histogram refusalMicros = new ConcurrentHistogram(HIGHEST_MICROS, 3);
    private final Map<String, AtomicLong> firstErrors = new ConcurrentHashMap<>();

    private AtomicLongArray sentPerSecond;
    private AtomicLongArray acceptedPerSecond;
    private AtomicLongArray refusedPerSecond;
    private AtomicLongArray endedPerSecond;
    private long start;
    /** Set by {@link #stopSending()}: no order is sent after it, the run settles and ends. */
    private volatile long stoppedAt;

    public LoadRun(LoadSpec spec, LoadTarget target, HttpClient http, PrintStream out, boolean liveProgress) {
        this.spec = spec;
        this.target = target;
        this.http = http;
        this.out = out;
        this.liveProgress = liveProgress;
    }

    public LoadResult run() {
        int seconds = (int) Math.ceil(spec.duration().toNanos() / 1e9) + (int) spec.settle().toSeconds() + 2;
        sentPerSecond = new AtomicLongArray(seconds);
        acceptedPerSecond = new AtomicLongArray(seconds);
        refusedPerSecond = new AtomicLongArray(seconds);
        endedPerSecond = new AtomicLongArray(seconds);
        List<long[]> inFlightAtSecond = new ArrayList<>();

        try (OutcomeWatcher watcher = new OutcomeWatcher(target.kafkaBootstrapServers(), this::ended)) {
            start = System.nanoTime();
            long total = spec.total();
            long nextReport = start + 1_000_000_000L;
            for (long index = 0; index < total && stoppedAt == 0; index++) {
                long due = start + spec.dueNanos(index);
                while (stoppedAt == 0) {
                    long now = System.nanoTime();
                    nextReport = reportIfDue(now, nextReport, watcher, inFlightAtSecond);
                    if (now >= due) {
                        break;
                    }
                    LockSupport.parkNanos(Math.min(Math.min(due, nextReport) - now, 100_000_000L));
                }
                if (stoppedAt == 0) {
                    send(index, due);
                }
            }
            long sendingEnded = sendingEnded();
            long settleUntil = sendingEnded + spec.settle().toNanos();
            while (System.nanoTime() < settleUntil && (answered.get() < sent.get() || inFlight() > 0)) {
                long now = System.nanoTime();
                nextReport = reportIfDue(now, nextReport, watcher, inFlightAtSecond);
                LockSupport.parkNanos(Math.min(20_000_000L, Math.max(1, nextReport - now)));
            }
            progress(System.nanoTime(), true);
            watcher.checkHealthy();
        }
        return result(inFlightAtSecond);
    }

    /**
     * Ends the sending early (the chaos runner's background load, which lasts as long as the experiment's method, however
     * long its restarts take); the run then settles as it would at the end of its duration.
     */
    public void stopSending() {
        if (stoppedAt == 0) {
            stoppedAt = System.nanoTime();
        }
    }

    /** When sending ended: at the end of the duration, or when it was stopped. */
    private long sendingEnded() {
        long planned = start + spec.duration().toNanos();
        return stoppedAt == 0 ? planned : Math.min(stoppedAt, planned);
    }

    /** Once a second: note the sagas in flight, print the progress line, fail fast if the watcher died. */
    private long reportIfDue(long now, long nextReport, OutcomeWatcher watcher, List<long[]> inFlightAtSecond) {
        if (now < nextReport) {
            return nextReport;
        }
        inFlightAtSecond.add(new long[] {secondOf(now) - 1, inFlight()});
        progress(now, false);
        watcher.checkHealthy();
        return nextReport + 1_000_000_000L;
    }

    private void send(long index, long due) {
        sent.incrementAndGet();
        sentPerSecond.incrementAndGet(secondOf(due));
        send(index, due, UUID.randomUUID().toString(), 0);
    }

    /**
     * Sends order {@code index} to its order-service instance, or to the next one when an instance refuses the connection
     * (stopped, restarting): the order never reached it, so it is sent nowhere twice, under one Idempotency-Key. Its
     * latency still counts from its due time.
     */
    private void send(long index, long due, String idempotencyKey, int skipped) {
        HttpRequest request = HttpRequest.newBuilder(target.orderInstance(index + skipped).resolve("/orders"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body(index)))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            if (failure != null && refused(failure) && skipped + 1 < target.orderInstances().size()) {
                send(index, due, idempotencyKey, skipped + 1);
                return;
            }
            long now = System.nanoTime();
            try {
                if (failure != null) {
                    errors.incrementAndGet();
                    firstErrors.computeIfAbsent(rootCause(failure), key -> new AtomicLong()).incrementAndGet();
                } else {
                    answered(response, due, now);
                }
            } finally {
                answered.incrementAndGet();
            }
        });
    }

    /** The connection was refused or never made: the request was not delivered. */
    private static boolean refused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.http.HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private void answered(HttpResponse<String> response, long due, long now) {
        int status = response.statusCode();
        if (status == 202) {
            acceptMicros.recordValue(micros(now - due));
            UUID orderId;
            try {
                orderId = UUID.fromString(JSON.readTree(response.body()).path("orderId").asText());
            } catch (IOException | IllegalArgumentException e) {
                errors.incrementAndGet();
                firstErrors.computeIfAbsent("202 without an orderId: " + response.body(), key -> new AtomicLong()).incrementAndGet();
                return;
            }
            acceptedPerSecond.incrementAndGet(secondOf(now));
            synchronized (matching) {
                acceptedAt.put(orderId, now);
                OutcomeWatcher.Outcome early = endedEarly.remove(orderId);
                if (early != null) {
                    record(early);
                }
            }
            return;
        }
        refusedPerSecond.incrementAndGet(secondOf(now));
        if (status == 503 || status == 429) {
            overloaded.incrementAndGet();
            refusalMicros.recordValue(micros(now - due));
            if (response.headers().firstValue("Retry-After").isPresent()) {
                overloadedWithRetryAfter.incrementAndGet();
            }
        } else if (status >= 500) {
            otherServerErrors.incrementAndGet();
        } else {
            otherClientErrors.incrementAndGet();
        }
        if (status != 503 && status != 429) {
            firstErrors.computeIfAbsent("HTTP " + status + ": " + abbreviate(response.body()), key -> new AtomicLong()).incrementAndGet();
        }
    }

    /** Called on the watcher's thread for every saga that ends, ours or not. */
    private void ended(OutcomeWatcher.Outcome outcome) {
        synchronized (matching) {
            if (acceptedAt.containsKey(outcome.orderId())) {
                record(outcome);
            } else if (endedEarly.size() < 1_000_000) {
                // Usually another client's order; now and then ours, ended before its 202 was read.
                endedEarly.put(outcome.orderId(), outcome);
            }
        }
    }

    private void record(OutcomeWatcher.Outcome outcome) {
        if (ended.putIfAbsent(outcome.orderId(), outcome) == null) {
            endedPerSecond.incrementAndGet(secondOf(outcome.seenNanos()));
        }
    }

    private long inFlight() {
        return acceptedAt.size() - ended.size();
    }

    private int secondOf(long nanos) {
        return (int) Math.min(sentPerSecond.length() - 1, Math.max(0, (nanos - start) / 1_000_000_000L));
    }

    private void progress(long now, boolean last) {
        int second = (int) ((now - start) / 1_000_000_000L);
        long recentEnded = second >= 1 ? endedPerSecond.get(Math.min(second - 1, endedPerSecond.length() - 1)) : 0;
        String line = String.format(Locale.ROOT, "%4ds  sent %d  accepted %d  refused %d  ended %d  in flight %d  ended/s %d",
                second, sent.get(), acceptedAt.size(), overloaded.get() + otherClientErrors.get() + otherServerErrors.get(),
                ended.size(), inFlight(), recentEnded);
        if (liveProgress) {
            out.print("\r" + line + "   ");
            if (last) {
                out.println();
            }
        } else if (last || second % 5 == 0) {
            out.println(line);
        }
    }

    private LoadResult result(List<long[]> inFlightAtSecond) {
        Histogram sagaMicros = new Histogram(HIGHEST_MICROS, 3);
        long approved = 0;
        Map<String, Long> rejected = new TreeMap<>();
        long sendingEnded = sendingEnded();
        long endedDuringRun = 0;
        for (Map.Entry<UUID, Long> accepted : acceptedAt.entrySet()) {
            OutcomeWatcher.Outcome outcome = ended.get(accepted.getKey());
            if (outcome == null) {
                continue;
            }
            sagaMicros.recordValue(micros(Math.max(0, outcome.seenNanos() - accepted.getValue())));
            if (outcome.reason() == null) {
                approved++;
            } else {
                rejected.merge(outcome.reason(), 1L, Long::sum);
            }
            if (outcome.seenNanos() <= sendingEnded) {
                endedDuringRun++;
            }
        }
        double runSeconds = Math.max(sendingEnded - start, 1) / 1e9;
        long acceptedDuringRun = acceptedAt.values().stream().filter(at -> at <= sendingEnded).count();
        List<LoadResult.Second> timeline = new ArrayList<>();
        Map<Integer, Long> inFlightBySecond = new HashMap<>();
        inFlightAtSecond.forEach(sample -> inFlightBySecond.put((int) sample[0], sample[1]));
        int lastSecond = inFlightAtSecond.isEmpty() ? 0 : (int) inFlightAtSecond.get(inFlightAtSecond.size() - 1)[0];
        for (int second = 0; second <= lastSecond; second++) {
            timeline.add(new LoadResult.Second(second, sentPerSecond.get(second), acceptedPerSecond.get(second),
                    refusedPerSecond.get(second), endedPerSecond.get(second), inFlightBySecond.getOrDefault(second, 0L)));
        }
        LoadResult.Offered offered = new LoadResult.Offered(spec.rate(), runSeconds, spec.flow().name(), spec.customers(),
                spec.skus(), spec.lines());
        return new LoadResult(offered, sent.get(), acceptedAt.size(), approved, rejected,
                new LoadResult.Refused(overloaded.get(), overloadedWithRetryAfter.get(), otherClientErrors.get(), otherServerErrors.get()),
                errors.get(), acceptedAt.size() - ended.size(), endedDuringRun / runSeconds, acceptedDuringRun / runSeconds,
                LoadResult.Percentiles.of(sagaMicros), LoadResult.Percentiles.of(acceptMicros),
                LoadResult.Percentiles.of(refusalMicros), timeline);
    }

    /** Distinct unexpected answers and failures with their counts, for the person reading the run. */
    public Map<String, Long> unexpectedAnswers() {
        Map<String, Long> copy = new TreeMap<>();
        firstErrors.forEach((text, count) -> copy.put(text, count.get()));
        return copy;
    }

    private String body(long index) {
        ObjectNode order = JSON.createObjectNode();
        order.put("customerId", spec.customerOf(index));
        ArrayNode items = order.putArray("items");
        spec.skusOf(index).forEach(sku -> items.addObject().put("sku", sku).put("quantity", 1));
        order.put("flow", spec.flowOf(index));
        return order.toString();
    }

    private static long micros(long nanos) {
        return Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000));
    }

    private static String rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + abbreviate(cause.getMessage()));
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
