package dev.sagaplatform.orchestrator.saga;

import dev.sagaplatform.contracts.MessageCatalog;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.saga.ApproveOrder;
import dev.sagaplatform.contracts.saga.AuthorizePayment;
import dev.sagaplatform.contracts.saga.RefundPayment;
import dev.sagaplatform.contracts.saga.RejectOrder;
import dev.sagaplatform.contracts.saga.ReleaseStock;
import dev.sagaplatform.contracts.saga.ReserveStock;
import dev.sagaplatform.orchestrator.saga.domain.HistoryEntry;
import dev.sagaplatform.orchestrator.saga.domain.SagaState;
import dev.sagaplatform.orchestrator.saga.domain.StepOutcome;
import dev.sagaplatform.orchestrator.saga.domain.Transition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Saga counters and timers, fed from committed transitions only (a rolled-back decision counts nothing), and the
 * number of sagas in each non-terminal state, read from the table so that it is right across restarts and instances.
 *
 * <p>Gauges for the states a saga leaves ({@code STARTED}, {@code COMPENSATING}, {@code STUCK}): few rows, counted
 * through the {@code (state, created_at)} index, at most once per {@link #STATE_COUNT_MAX_AGE} however often Prometheus
 * scrapes. Counters for the terminal ones ({@code saga_completed_total}, {@code saga_compensated_total}): those grow
 * without bound, so counting them would cost more every day, and a rate is what a dashboard wants of them anyway.
 */
@Component
public class SagaMetrics {

    private static final Logger log = LoggerFactory.getLogger(SagaMetrics.class);

    static final Duration STATE_COUNT_MAX_AGE = Duration.ofSeconds(5);

    /** Every command the order saga sends: tag values of the step timers, registered up front so each series exists at 0. */
    static final List<String> COMMANDS = List.of(AuthorizePayment.TYPE.name(), ReserveStock.TYPE.name(),
            ApproveOrder.TYPE.name(), ReleaseStock.TYPE.name(), RefundPayment.TYPE.name(), RejectOrder.TYPE.name());

    private static final List<SagaState> LIVE_STATES = List.of(SagaState.STARTED, SagaState.COMPENSATING, SagaState.STUCK);

    private final MeterRegistry registry;
    private final Counter started;
    private final Counter completed;
    private final Counter compensated;
    private final Counter parked;
    private final Supplier<Map<SagaState, Long>> liveCounts;

    public SagaMetrics(MeterRegistry registry, SagaStore sagas) {
        this.registry = registry;
        this.started = Counter.builder("saga.started").description("Sagas started").register(registry);
        this.completed = Counter.builder("saga.completed").description("Sagas that approved their order").register(registry);
        this.compensated = Counter.builder("saga.compensated")
                .description("Sagas that undid their steps and rejected their order").register(registry);
        this.parked = Counter.builder("saga.parked").description("Times a saga was parked as STUCK").register(registry);
        this.liveCounts = cached(() -> sagas.countLiveByState(LIVE_STATES), STATE_COUNT_MAX_AGE);
        Gauge.builder("saga.stuck", () -> count(SagaState.STUCK))
                .description("Sagas parked as STUCK, waiting for an operator")
                .register(registry);
        for (SagaState state : LIVE_STATES) {
            Gauge.builder("saga.instances", () -> count(state)).tag("state", state.name())
                    .description("Sagas in a non-terminal state (terminal ones: saga_completed_total, saga_compensated_total)")
                    .register(registry);
        }
        for (String command : COMMANDS) {
            for (String outcome : List.of("succeeded", "failed")) {
                stepLatency(command, outcome);
            }
        }
        for (String outcome : List.of("completed", "compensated")) {
            sagaDuration(outcome);
        }
    }

    /**
     * @param replyLatencies for each reply in the transition's history (SUCCEEDED or FAILED), the time from the
     *                       command's last send to the reply's arrival
     * @param age            from the saga's start to now; only read when the transition ends the saga
     */
    void record(Transition<?> transition, Map<HistoryEntry, Duration> replyLatencies, Duration age) {
        if (transition.before() == null) {
            started.increment();
        }
        if (transition.reachedState(SagaState.COMPLETED)) {
            completed.increment();
            sagaDuration("completed").record(age);
        }
        if (transition.reachedState(SagaState.COMPENSATED)) {
            compensated.increment();
            sagaDuration("compensated").record(age);
        }
        if (transition.reachedState(SagaState.STUCK)) {
            parked.increment();
        }
        replyLatencies.forEach((entry, latency) -> stepLatency(tag(entry.commandType()),
                entry.outcome() == StepOutcome.SUCCEEDED ? "succeeded" : "failed").record(latency));
        for (HistoryEntry entry : transition.history()) {
            if (entry.outcome() == StepOutcome.TIMED_OUT) {
                registry.counter("saga.timeouts", "command", tag(entry.commandType())).increment();
            } else if (entry.outcome() == StepOutcome.RETRIED) {
                registry.counter("saga.retries", "command", tag(entry.commandType())).increment();
            } else if (entry.outcome() == StepOutcome.LATE_REPLY_IGNORED) {
                registry.counter("saga.replies.ignored", "command", tag(entry.commandType())).increment();
            }
        }
    }

    /** Whether a history line is a reply whose latency {@link #record} wants. */
    static boolean isReply(HistoryEntry entry) {
        return entry.outcome() == StepOutcome.SUCCEEDED || entry.outcome() == StepOutcome.FAILED;
    }

    private Timer stepLatency(String command, String outcome) {
        return Timer.builder("saga.step.latency").tag("command", command).tag("outcome", outcome)
                .description("From a command's (last) send to its participant's reply being applied")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }

    private Timer sagaDuration(String outcome) {
        return Timer.builder("saga.duration").tag("outcome", outcome)
                .description("From a saga's start to its end (COMPLETED or COMPENSATED)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    /** Command types of ignored replies come off the wire: only catalog names may become tag values. */
    private static String tag(String commandType) {
        return MessageCatalog.find(commandType).map(MessageType::name).orElse("unknown");
    }

    private double count(SagaState state) {
        Map<SagaState, Long> counts = liveCounts.get();
        return counts == null ? Double.NaN : counts.getOrDefault(state, 0L);
    }

    /** The last reading while it is younger than {@code maxAge}; null (the gauges then show NaN) while the database is away. */
    private static Supplier<Map<SagaState, Long>> cached(Supplier<Map<SagaState, Long>> read, Duration maxAge) {
        return new Supplier<>() {
            private Map<SagaState, Long> last;
            private long readAt;

            @Override
            public synchronized Map<SagaState, Long> get() {
                long now = System.nanoTime();
                if (last == null || now - readAt > maxAge.toNanos()) {
                    try {
                        // EnumMap's copy constructor refuses an empty plain map, and "no live saga" is the usual reading.
                        Map<SagaState, Long> counts = new EnumMap<>(SagaState.class);
                        counts.putAll(read.get());
                        last = counts;
                        readAt = now;
                    } catch (RuntimeException e) {
                        // A scrape during a database outage must not fail the whole scrape.
                        log.debug("could not count sagas by state: {}", e.toString());
                        last = null;
                    }
                }
                return last;
            }
        };
    }
}
