package dev.sagaplatform.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Per source: events published (its rate is events/s), commit-to-acknowledged lag as a histogram,
 * and publish retries. Names as in Prometheus: {@code relay_events_published_total},
 * {@code relay_publish_lag_seconds_bucket}, {@code relay_publish_retries_total}.
 */
final class RelayMetrics {

    private final Counter published;
    private final Counter retries;
    private final Timer lag;

    RelayMetrics(MeterRegistry registry, String source) {
        published = Counter.builder("relay.events.published").tag("source", source)
                .description("Outbox rows published to Kafka and acknowledged").register(registry);
        retries = Counter.builder("relay.publish.retries").tag("source", source)
                .description("Failed publish attempts that were retried").register(registry);
        lag = Timer.builder("relay.publish.lag").tag("source", source)
                .description("From the outbox row's commit to Kafka's acknowledgement")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }

    void published(long commitEpochMillis, long ackEpochMillis) {
        published.increment();
        lag.record(Duration.ofMillis(Math.max(0, ackEpochMillis - commitEpochMillis)));
    }

    void retried() {
        retries.increment();
    }
}
