package dev.sagaplatform.messaging;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** {@code platform.messaging.*}: consumer retries and retention, validated at start-up. */
@Validated
@ConfigurationProperties("platform.messaging")
public record MessagingProperties(@Valid @NotNull @DefaultValue Consumer consumer,
                                  @Valid @NotNull @DefaultValue Retention retention) {

    /**
     * Redelivery of a failing record: exponential backoff with jitter, then the dead-letter topic.
     * The whole budget (about 10 s with the defaults) must stay far below {@code max.poll.interval.ms},
     * because the consumer thread waits in place.
     *
     * <p>Everything else about the listener containers (concurrency, observations, ack mode, ...) is Spring Boot's
     * {@code spring.kafka.listener.*}.
     *
     * @param groupIdSuffix appended to every subscription's Kafka consumer group (its inbox name stays the
     *                      subscription's): tests give each Spring context its own group, so that two cached
     *                      contexts of one service never share the partitions of a topic
     */
    public record Consumer(
            @NotNull @DefaultValue("200ms") Duration initialInterval,
            @DecimalMin("1.0") @DefaultValue("2.0") double multiplier,
            @NotNull @DefaultValue("5s") Duration maxInterval,
            @NotNull @DefaultValue("100ms") Duration jitter,
            @Min(0) @Max(100) @DefaultValue("5") int maxRetries,
            @NotNull @DefaultValue("") String groupIdSuffix) {

        /** The Kafka consumer group of a subscription named {@code consumer}. */
        public String groupId(String consumer) {
            return consumer + groupIdSuffix;
        }

        @AssertTrue(message = "platform.messaging.consumer.max-interval must be >= initial-interval")
        public boolean isMaxIntervalAtLeastInitial() {
            return initialInterval == null || maxInterval == null || maxInterval.compareTo(initialInterval) >= 0;
        }
    }

    /**
     * How long outbox and inbox rows are kept. The relay reads the WAL, not the table, so outbox rows
     * are kept only for audit and invariant checks; inbox rows must outlive any redelivery window.
     */
    public record Retention(
            @DefaultValue("true") boolean enabled,
            @NotNull @DefaultValue("7d") Duration outbox,
            @NotNull @DefaultValue("14d") Duration processedMessages,
            @NotNull @DefaultValue("1h") Duration interval,
            @Min(1) @Max(100_000) @DefaultValue("5000") int batchSize) {

        @AssertTrue(message = "platform.messaging.retention durations must be positive")
        public boolean isPositive() {
            return outbox == null || processedMessages == null || interval == null
                    || (!outbox.isNegative() && !outbox.isZero() && !processedMessages.isNegative()
                    && !processedMessages.isZero() && !interval.isNegative() && !interval.isZero());
        }

        /** A copy of an outbox row (a relay re-snapshot publishes every row still there) is a no-op only while its inbox row lives. */
        @AssertTrue(message = "platform.messaging.retention.processed-messages must be at least retention.outbox:"
                + " an outbox row republished by a relay re-snapshot must still find its inbox row")
        public boolean isInboxKeptAtLeastAsLongAsOutbox() {
            return outbox == null || processedMessages == null || processedMessages.compareTo(outbox) >= 0;
        }
    }
}
