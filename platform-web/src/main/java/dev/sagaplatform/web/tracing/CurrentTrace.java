package dev.sagaplatform.web.tracing;

import io.opentelemetry.context.Context;
import java.util.function.Supplier;

/**
 * Carries the caller's trace to another thread. An outbound call that runs in a Resilience4j thread-pool bulkhead
 * leaves the request's thread, and with it the current span: wrapped, its HTTP client span is still the child of the
 * span that made the call, so the callee joins the same trace.
 */
public final class CurrentTrace {

    private CurrentTrace() {
    }

    /** {@code work}, to run on any thread within the trace context current now. */
    public static <T> Supplier<T> carriedBy(Supplier<T> work) {
        return Context.current().wrapSupplier(work);
    }
}
