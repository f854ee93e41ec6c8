package dev.sagaplatform.messaging.consumer;

import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.messaging.MessagingProperties;
import dev.sagaplatform.messaging.codec.UnreadableMessageException;
import dev.sagaplatform.messaging.deadletter.DeadLetter;
import dev.sagaplatform.messaging.deadletter.DeadLetterTally;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.SendResult;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Bounded redelivery with exponential backoff and jitter, then the dead-letter topic
 * ({@code <topic>.DLT}, original headers plus the exception), so one poison record never stops a
 * consumer. Unreadable records skip the retries: no retry can make them readable.
 *
 * <p>A {@linkplain #isTransient transient} failure (a {@link TransientFailure} such as an unavailable
 * payment gateway, or a {@link TransientDatabaseFailure}) is different: the record is fine and will
 * succeed once the dependency is back, and dead-lettering it would leave its saga undecided. It is
 * redelivered with the same capped backoff for as long as it takes; meanwhile its partition waits,
 * which is what per-order ordering requires anyway.
 */
public final class DeadLetterErrorHandlerFactory {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterErrorHandlerFactory.class);

    private DeadLetterErrorHandlerFactory() {
    }

    /**
     * @param meters counts every dead-lettered record as {@code messaging_dead_letters_total{topic, service}}: each one
     *               is a saga step that did not happen, so it must show on a dashboard and raise an alert, not only a log line
     * @param tally  told of every dead letter once the broker has it, with its place on the dead-letter topic (the health
     *               component {@code deadLetters} shows it)
     */
    public static DefaultErrorHandler create(KafkaOperations<?, ?> deadLetterTemplate, MessagingProperties.Consumer policy,
                                             MeterRegistry meters, String service, DeadLetterTally tally) {
        var recoverer = new TallyingRecoverer(deadLetterTemplate, (record, exception) -> {
            log.error("dead-lettering {}-{}@{} after {}", record.topic(), record.partition(), record.offset(),
                    rootMessage(exception));
            meters.counter("messaging.dead.letters", "topic", record.topic(), "service", service).increment();
            // A negative partition lets the producer pick one, so the DLT needs no matching partition count.
            return new TopicPartition(Topics.deadLetter(record.topic()), -1);
        }, tally);
        var handler = new DefaultErrorHandler(recoverer, backOff(policy));
        handler.addNotRetryableExceptions(UnreadableMessageException.class);
        // Evaluated when a record first fails (and again when its exception changes).
        handler.setBackOffFunction((record, exception) -> isTransient(exception) ? untilSuccess(policy) : null);
        return handler;
    }

    /** Whether the failure, or anything in its cause chain, says "not now" rather than "never". */
    public static boolean isTransient(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof TransientFailure) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return TransientDatabaseFailure.matches(failure);
    }

    /** The same intervals without the retry budget: a transient failure is never dead-lettered. */
    static ExponentialBackOff untilSuccess(MessagingProperties.Consumer policy) {
        ExponentialBackOff backOff = backOff(policy);
        backOff.setMaxAttempts(Integer.MAX_VALUE);
        return backOff;
    }

    static ExponentialBackOff backOff(MessagingProperties.Consumer policy) {
        var backOff = new ExponentialBackOff(policy.initialInterval().toMillis(), policy.multiplier());
        backOff.setMaxInterval(policy.maxInterval().toMillis());
        backOff.setJitter(policy.jitter().toMillis());
        backOff.setMaxAttempts(policy.maxRetries());
        return backOff;
    }

    /** Only here is the dead letter's offset known: the send's result, once the broker acknowledged it. */
    private static final class TallyingRecoverer extends DeadLetterPublishingRecoverer {

        private final DeadLetterTally tally;

        TallyingRecoverer(KafkaOperations<?, ?> template,
                          BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> destinationResolver, DeadLetterTally tally) {
            super(template, destinationResolver);
            this.tally = tally;
        }

        @Override
        protected void verifySendResult(KafkaOperations<Object, Object> template, ProducerRecord<Object, Object> outRecord,
                                        CompletableFuture<SendResult<Object, Object>> sendResult, ConsumerRecord<?, ?> inRecord) {
            // Throws unless the broker acknowledged the dead letter, which the consumer then retries.
            super.verifySendResult(template, outRecord, sendResult, inRecord);
            SendResult<Object, Object> sent = sendResult.getNow(null);
            RecordMetadata metadata = sent.getRecordMetadata();
            tally.record(metadata.topic() + ":" + metadata.partition() + "@" + metadata.offset(), inRecord.topic(),
                    Instant.ofEpochMilli(metadata.timestamp()), DeadLetter.error(outRecord.headers()));
        }
    }

    private static String rootMessage(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
