package dev.sagaplatform.order.remote;

import dev.sagaplatform.web.tracing.CurrentTrace;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The Resilience4j policies around one remote service, all four named after it and configured in
 * {@code application.yml} ({@code resilience4j.*.instances.<name>}), applied in one fixed order:
 *
 * <pre>retry → circuit breaker → time limiter → thread-pool bulkhead → HTTP call</pre>
 *
 * <ul>
 * <li>Retry outermost: every attempt is one call to the breaker, so the breaker sees the dependency's
 *     real failure rate, and an open breaker ends the retrying at once ({@link CallNotPermittedException}
 *     is not retried).</li>
 * <li>The time limit is per attempt and inside the breaker: a call cut at the limit is a breaker
 *     failure, and the next attempt gets the full limit again.</li>
 * <li>The bulkhead is a thread pool of its own per dependency: the HTTP call runs there, the caller
 *     waits at most the time limit, and a dependency that hangs ties up only its own pool's threads.
 *     A full pool and queue reject at once ({@link BulkheadFullException}); the breaker ignores that
 *     (it says nothing about the dependency) and the retry does not retry it (adding load to a
 *     saturated pool helps nobody).</li>
 * </ul>
 *
 * Whatever the policies refuse or cut becomes a {@link DependencyUnavailableException}, so callers
 * (and the 503 answer) see one kind of failure. Answers that are not failures (an unknown SKU or
 * customer) are return values and count as successes.
 */
final class ResilientDependency {

    private final String name;
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private final TimeLimiter timeLimiter;
    private final ThreadPoolBulkhead bulkhead;

    ResilientDependency(String name, Retry retry, CircuitBreaker circuitBreaker, TimeLimiter timeLimiter,
                        ThreadPoolBulkhead bulkhead) {
        this.name = name;
        this.retry = retry;
        this.circuitBreaker = circuitBreaker;
        this.timeLimiter = timeLimiter;
        this.bulkhead = bulkhead;
    }

    /** The instances named {@code name} from the registries that Resilience4j's starter fills from YAML. */
    static ResilientDependency named(String name, RetryRegistry retries, CircuitBreakerRegistry circuitBreakers,
                                     TimeLimiterRegistry timeLimiters, ThreadPoolBulkheadRegistry bulkheads) {
        return new ResilientDependency(name, retries.retry(name), circuitBreakers.circuitBreaker(name),
                timeLimiters.timeLimiter(name), bulkheads.bulkhead(name));
    }

    /**
     * @throws DependencyUnavailableException when the call failed on every attempt, was cut at the time
     *                                        limit, or was not made (breaker open, bulkhead full)
     */
    <T> T call(Supplier<T> request) {
        // The bulkhead's thread runs the call: it takes the caller's trace along, so the callee's spans join it.
        Supplier<T> traced = CurrentTrace.carriedBy(request);
        Callable<T> limited = () -> timeLimiter.executeFutureSupplier(
                () -> bulkhead.executeSupplier(traced).toCompletableFuture());
        Callable<T> guarded = CircuitBreaker.decorateCallable(circuitBreaker, limited);
        try {
            return Retry.decorateCallable(retry, guarded).call();
        } catch (DependencyUnavailableException e) {
            throw e;
        } catch (CallNotPermittedException e) {
            throw new DependencyUnavailableException(name, "circuit breaker is open, not called", e);
        } catch (BulkheadFullException e) {
            throw new DependencyUnavailableException(name, "too many calls in flight (bulkhead full), not called", e);
        } catch (TimeoutException e) {
            throw new DependencyUnavailableException(name, "no answer within the time limit of "
                    + timeLimiter.getTimeLimiterConfig().getTimeoutDuration().toMillis() + " ms", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new DependencyUnavailableException(name, e.toString(), e);
        }
    }

    CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }
}
