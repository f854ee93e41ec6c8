package dev.sagaplatform.payment.payment.gateway;

import dev.sagaplatform.web.tracing.CurrentTrace;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The Resilience4j policies around the payment gateway, all named {@value #NAME} and configured in
 * {@code application.yml}, applied in one fixed order:
 *
 * <pre>retry → circuit breaker → time limiter → thread-pool bulkhead → HTTP call</pre>
 *
 * <ul>
 * <li>Retry outermost, so each attempt is one breaker call: the breaker sees the gateway's real failure
 *     rate, and once it opens, {@link CallNotPermittedException} ends the retrying at once. Retrying is
 *     safe only because every request carries its idempotency key ({@code charge-<orderId>},
 *     {@code refund-<orderId>}): a second attempt of a charge that did go through is a replay.</li>
 * <li>The time limit is per attempt and inside the breaker: a cut call is a breaker failure.</li>
 * <li>The bulkhead is the gateway's own thread pool: a hung gateway ties up those threads only,
 *     never a Kafka consumer thread for longer than the time limit, nor a web request thread.</li>
 * </ul>
 *
 * A refusal ({@link GatewayRefusedException}, a 4xx) is an answer: the breaker counts it as a success
 * and the retry does not repeat it. Everything the policies refuse or cut becomes a
 * {@link GatewayUnavailableException}, the one failure {@code Payments} handles.
 */
public final class GatewayResilience {

    public static final String NAME = "payment-gateway";

    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private final TimeLimiter timeLimiter;
    private final ThreadPoolBulkhead bulkhead;

    public GatewayResilience(Retry retry, CircuitBreaker circuitBreaker, TimeLimiter timeLimiter, ThreadPoolBulkhead bulkhead) {
        this.retry = retry;
        this.circuitBreaker = circuitBreaker;
        this.timeLimiter = timeLimiter;
        this.bulkhead = bulkhead;
    }

    /**
     * @throws GatewayRefusedException    the gateway said no (passed through unchanged)
     * @throws GatewayUnavailableException every attempt failed, was cut at the time limit, or none was
     *                                     made (breaker open, bulkhead full): the outcome is unknown
     */
    <T> T call(Supplier<T> request) {
        // The bulkhead's thread runs the call: it takes the caller's trace along, so the callee's spans join it.
        Supplier<T> traced = CurrentTrace.carriedBy(request);
        Callable<T> limited = () -> timeLimiter.executeFutureSupplier(
                () -> bulkhead.executeSupplier(traced).toCompletableFuture());
        Callable<T> guarded = CircuitBreaker.decorateCallable(circuitBreaker, limited);
        try {
            return Retry.decorateCallable(retry, guarded).call();
        } catch (GatewayRefusedException | GatewayUnavailableException e) {
            throw e;
        } catch (CallNotPermittedException e) {
            throw new GatewayUnavailableException("circuit breaker is open, not called", e);
        } catch (BulkheadFullException e) {
            throw new GatewayUnavailableException("too many gateway calls in flight (bulkhead full), not called", e);
        } catch (TimeoutException e) {
            throw new GatewayUnavailableException("no answer within the time limit of "
                    + timeLimiter.getTimeLimiterConfig().getTimeoutDuration().toMillis() + " ms", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new GatewayUnavailableException(e.toString(), e);
        }
    }
}
