package dev.sagaplatform.order.remote;

import dev.sagaplatform.web.tracing.CurrentTrace;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.web.client.RestClient;

/**
 * The Resilience4j policies around one remote service and its instances, configured in {@code application.yml}
 * ({@code resilience4j.*.instances.<name>}), applied in one fixed order:
 *
 * <pre>retry → pick an instance → its circuit breaker → time limiter → thread-pool bulkhead → HTTP call</pre>
 *
 * <ul>
 * <li>Retry outermost: every attempt is one call to a breaker, so the breakers see the instances' real failure
 *     rates, and when no breaker permits a call the retrying ends at once ({@link CallNotPermittedException} is
 *     not retried).</li>
 * <li>One circuit breaker per instance: a dead replica opens its own breaker and stops getting calls while the
 *     others keep serving. Each attempt goes, round robin, to an instance whose breaker permits it, and a retry
 *     to an instance this call has not tried yet when there is one: the retry exists to get past the failure,
 *     and the instance that just failed is the one most likely to fail again.</li>
 * <li>The time limit is per attempt and inside the breaker: a call cut at the limit is a failure of that
 *     instance, and the next attempt gets the full limit again.</li>
 * <li>Retry, time limiter and bulkhead are per dependency. The bulkhead is a thread pool of its own: the HTTP
 *     call runs there, the caller waits at most the time limit, and a dependency that hangs ties up only its
 *     own pool's threads; it protects this service's threads, so it counts calls to all instances together.
 *     A full pool and queue reject at once ({@link BulkheadFullException}); the breaker ignores that (it says
 *     nothing about the instance) and the retry does not retry it (adding load to a saturated pool helps
 *     nobody).</li>
 * </ul>
 *
 * The balancing is a round-robin counter over the instances' breakers, written here rather than taken from
 * Spring Cloud LoadBalancer: its {@code RoundRobinLoadBalancer} would contribute only that counter, the
 * breaker-aware choice and the retry elsewhere would still be ours (as {@code ServiceInstanceListSupplier}
 * decorators), and it would add spring-cloud-commons, -context and reactor to the start-up and a
 * {@code Mono} to block on per call.
 *
 * <p>Breaker names: with one instance the dependency's own name ({@code inventory-service}), as before; with
 * several, the first instance keeps that name, so every reader of {@code name="inventory-service"} (a chaos
 * experiment's health probe, the e2e checks, DESIGN's contract) still finds a breaker, and each further one is
 * {@code <name>@<host>:<port>} ({@code inventory-service@localhost:8183}), all configured like the first.
 *
 * <p>Whatever the policies refuse or cut becomes a {@link DependencyUnavailableException}, so callers (and the
 * 503 answer) see one kind of failure. Answers that are not failures (an unknown SKU or customer) are return
 * values and count as successes.
 */
final class ResilientDependency {

    /** One instance of the dependency: its client and its breaker. */
    record Instance(RestClient client, CircuitBreaker circuitBreaker) {
    }

    private final String name;
    private final List<Instance> instances;
    private final Retry retry;
    private final TimeLimiter timeLimiter;
    private final ThreadPoolBulkhead bulkhead;
    private final AtomicInteger nextInstance = new AtomicInteger();

    ResilientDependency(String name, List<Instance> instances, Retry retry, TimeLimiter timeLimiter,
                        ThreadPoolBulkhead bulkhead) {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException(name + ": no instances");
        }
        this.name = name;
        this.instances = List.copyOf(instances);
        this.retry = retry;
        this.timeLimiter = timeLimiter;
        this.bulkhead = bulkhead;
    }

    /**
     * A client and a breaker for each instance of {@code http}; the breakers come from {@code breakers} by the
     * names {@link #breakerName} gives.
     */
    static ResilientDependency of(String name, HttpDependency http, RestClient.Builder builder,
                                  Function<String, CircuitBreaker> breakers, Retry retry, TimeLimiter timeLimiter,
                                  ThreadPoolBulkhead bulkhead) {
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < http.baseUrls().size(); i++) {
            URI url = http.baseUrls().get(i);
            instances.add(new Instance(http.client(builder, url), breakers.apply(breakerName(name, url, i))));
        }
        return new ResilientDependency(name, instances, retry, timeLimiter, bulkhead);
    }

    /** The instances named after {@code name} from the registries that Resilience4j's starter fills from YAML. */
    static ResilientDependency named(String name, HttpDependency http, RestClient.Builder builder,
                                     RetryRegistry retries, CircuitBreakerRegistry circuitBreakers,
                                     TimeLimiterRegistry timeLimiters, ThreadPoolBulkheadRegistry bulkheads) {
        // Every instance's breaker is configured as resilience4j.circuitbreaker.instances.<name> says.
        CircuitBreakerConfig config = circuitBreakers.circuitBreaker(name).getCircuitBreakerConfig();
        return of(name, http, builder, breakerName -> circuitBreakers.circuitBreaker(breakerName, config),
                retries.retry(name), timeLimiters.timeLimiter(name), bulkheads.bulkhead(name));
    }

    /** {@code inventory-service} for the first instance, {@code inventory-service@localhost:8183} for the others. */
    static String breakerName(String dependency, URI instance, int index) {
        return index == 0 ? dependency : dependency + "@" + HttpDependency.instanceOf(instance);
    }

    /**
     * @param request the call, made with the client of the instance chosen for the attempt
     * @throws DependencyUnavailableException when the call failed on every attempt, was cut at the time
     *                                        limit, or was not made (every breaker open, bulkhead full)
     */
    <T> T call(Function<RestClient, T> request) {
        int first = Math.floorMod(nextInstance.getAndIncrement(), instances.size());
        // Attempts of one call run one after the other on the caller's thread.
        Set<Instance> tried = new HashSet<>();
        Callable<T> attempt = () -> {
            Instance instance = permittedInstance(first, tried);
            tried.add(instance);
            // The bulkhead's thread runs the call: it takes the caller's trace along, so the callee's spans join it.
            Supplier<T> traced = CurrentTrace.carriedBy(() -> request.apply(instance.client()));
            return guarded(instance.circuitBreaker(), () -> timeLimiter.executeFutureSupplier(
                    () -> bulkhead.executeSupplier(traced).toCompletableFuture()));
        };
        try {
            return Retry.decorateCallable(retry, attempt).call();
        } catch (DependencyUnavailableException e) {
            throw e;
        } catch (CallNotPermittedException e) {
            throw new DependencyUnavailableException(name, (instances.size() == 1 ? "circuit breaker is open"
                    : "the circuit breakers of all " + instances.size() + " instances are open") + ", not called", e);
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

    /**
     * Round robin from {@code first}: the first instance not yet tried by this call whose breaker permits a call,
     * else the first tried one that does (one instance, or all others open: retry where it is possible at all).
     * Taking a breaker's permission here is what {@link CircuitBreaker#decorateCallable} does before a call; an
     * open breaker records the refusal as a not-permitted call, as it always did.
     */
    private Instance permittedInstance(int first, Set<Instance> tried) {
        for (boolean untried : new boolean[] {true, false}) {
            for (int i = 0; i < instances.size(); i++) {
                Instance candidate = instances.get((first + i) % instances.size());
                if (tried.contains(candidate) != untried && candidate.circuitBreaker().tryAcquirePermission()) {
                    return candidate;
                }
            }
        }
        throw CallNotPermittedException.createCallNotPermittedException(instances.get(first).circuitBreaker());
    }

    /** The call under a permission already taken, its outcome recorded as {@link CircuitBreaker#decorateCallable} does. */
    private static <T> T guarded(CircuitBreaker breaker, Callable<T> call) throws Exception {
        long start = breaker.getCurrentTimestamp();
        try {
            T result = call.call();
            breaker.onResult(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), result);
            return result;
        } catch (Exception e) {
            breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), e);
            throw e;
        }
    }

    List<Instance> instances() {
        return instances;
    }
}
