package dev.sagaplatform.messaging.trace;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The id of the message being handled on this thread, so that every outbox row its handler writes records
 * it as {@code causation_id}: two rows of one type with the same cause, or a cause missing from the inbox,
 * show that a message was applied more than once or outside the inbox.
 *
 * <p>A thread-local, scoped by {@link #runWith} around the inbox insert and the handler: the listener
 * container runs a record's handling synchronously on its consumer thread, and Spring binds that transaction
 * to the same thread, so the binding lives exactly as long as the handling and is seen by nothing else.
 * Concurrent consumer threads each see only their own message; a poller or an HTTP request thread sees none,
 * and the binding is removed in {@code finally}, so a pooled thread never carries it to its next task. An
 * explicit parameter would have to thread through every business method between a handler and the outbox.
 */
public final class Causation {

    private static final ThreadLocal<UUID> CURRENT = new ThreadLocal<>();

    private Causation() {
    }

    /** The message whose handling runs on this thread, if any. */
    public static Optional<UUID> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Runs {@code handling} with {@code messageId} as the current cause, restoring the previous one afterwards. */
    public static <T> T runWith(UUID messageId, Supplier<T> handling) {
        UUID previous = CURRENT.get();
        CURRENT.set(messageId);
        try {
            return handling.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
