package dev.sagaplatform.messaging.consumer;

/**
 * Marks an exception that says "not now" rather than "never": the message is fine, but something its
 * handler needs (a remote system, the database) is unavailable at the moment. The consumer retries
 * such a message with capped exponential backoff for as long as it takes instead of dead-lettering it,
 * because a dead-lettered saga step would leave its order undecided for good.
 *
 * <p>Only for handlers that are safe to run again: the transaction rolled back, and every remote call
 * they made is idempotent (keyed) or has no effect.
 */
public interface TransientFailure {
}
