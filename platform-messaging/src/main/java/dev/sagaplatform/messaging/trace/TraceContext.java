package dev.sagaplatform.messaging.trace;

import dev.sagaplatform.contracts.Headers;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The W3C {@code traceparent} an outbox row carries across the outbox-and-relay hop: the current span's, written
 * through the tracer's propagator, so the relay's publish and every consumer continue the trace that wrote the row
 * (an HTTP request, or the handling of the message that caused it).
 *
 * <p>Where nothing is being traced (a scheduled job such as a saga step timeout), the row starts a trace of its own:
 * a span named {@code outbox <type>} with no parent, ended at once, so what follows the message is still one trace.
 */
public final class TraceContext {

    private static final Pattern TRACEPARENT =
            Pattern.compile("00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");

    private final Tracer tracer;
    private final Propagator propagator;

    public TraceContext(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** @return the traceparent for a message written now, or {@code null} where tracing is off (no-op tracer) */
    public String forOutgoingMessage(String messageType) {
        Span current = tracer.currentSpan();
        if (current != null) {
            return traceparent(current);
        }
        Span root = tracer.nextSpan().name("outbox " + messageType).start();
        try {
            return traceparent(root);
        } finally {
            root.end();
        }
    }

    private String traceparent(Span span) {
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(span.context(), carrier, Map::put);
        String traceparent = carrier.get(Headers.TRACEPARENT);
        return isValid(traceparent) ? traceparent : null;
    }

    public static boolean isValid(String traceparent) {
        return traceparent != null && TRACEPARENT.matcher(traceparent).matches();
    }
}
