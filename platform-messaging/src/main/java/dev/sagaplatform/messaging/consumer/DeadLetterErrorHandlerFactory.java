package dev.sagaplatform.messaging.consumer;

import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.messaging.MessagingProperties;
import dev.sagaplatform.messaging.codec.UnreadableMessageException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Bounded redelivery with exponential backoff and jitter, then the dead-letter topic
 * ({@code <topic>.DLT}, original headers plus the exception), so one poison record never stops a
 * consumer. Unreadable records skip the retries: no retry can make them readable.
 */
public final class DeadLetterErrorHandlerFactory {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterErrorHandlerFactory.class);

    private DeadLetterErrorHandlerFactory() {
    }

    public static DefaultErrorHandler create(KafkaOperations<?, ?> deadLetterTemplate, MessagingProperties.Consumer policy) {
        var recoverer = new DeadLetterPublishingRecoverer(deadLetterTemplate, (record, exception) -> {
            log.error("dead-lettering {}-{}@{} after {}", record.topic(), record.partition(), record.offset(),
                    rootMessage(exception));
            // A negative partition lets the producer pick one, so the DLT needs no matching partition count.
            return new TopicPartition(Topics.deadLetter(record.topic()), -1);
        });
        var handler = new DefaultErrorHandler(recoverer, backOff(policy));
        handler.addNotRetryableExceptions(UnreadableMessageException.class);
        return handler;
    }

    static ExponentialBackOff backOff(MessagingProperties.Consumer policy) {
        var backOff = new ExponentialBackOff(policy.initialInterval().toMillis(), policy.multiplier());
        backOff.setMaxInterval(policy.maxInterval().toMillis());
        backOff.setJitter(policy.jitter().toMillis());
        backOff.setMaxAttempts(policy.maxRetries());
        return backOff;
    }

    private static String rootMessage(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
