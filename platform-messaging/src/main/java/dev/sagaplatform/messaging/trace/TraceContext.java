package dev.sagaplatform.messaging.trace;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The W3C {@code traceparent} of the message being handled on this thread, so that every outbox row
 * written while handling it continues the same trace across the outbox-and-relay hop.
 *
 * <p>Hand-written on purpose: carrying one header through a thread-local is all the saga needs, and a
 * tracing SDK would be a heavy dependency for every service that only wants its log lines correlated.
 */
public final class TraceContext {

    private static final Pattern TRACEPARENT =
            Pattern.compile("00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private TraceContext() {
    }

    public static Optional<String> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Runs {@code action} with {@code traceparent} as the current context (a malformed value starts a new trace). */
    public static void runWith(String traceparent, Runnable action) {
        String previous = CURRENT.get();
        CURRENT.set(isValid(traceparent) ? traceparent : newTraceparent());
        try {
            action.run();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** The traceparent for an outgoing message: same trace as the current one, new span id. */
    public static String forOutgoingMessage() {
        String current = CURRENT.get();
        if (current == null) {
            return newTraceparent();
        }
        return current.substring(0, 36) + randomHex(8) + current.substring(52);
    }

    public static String traceId(String traceparent) {
        return isValid(traceparent) ? traceparent.substring(3, 35) : null;
    }

    public static boolean isValid(String traceparent) {
        return traceparent != null && TRACEPARENT.matcher(traceparent).matches();
    }

    static String newTraceparent() {
        return "00-" + randomHex(16) + "-" + randomHex(8) + "-01";
    }

    private static String randomHex(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HEX.formatHex(buffer);
    }
}
