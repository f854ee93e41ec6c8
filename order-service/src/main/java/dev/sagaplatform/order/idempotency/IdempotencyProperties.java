package dev.sagaplatform.order.idempotency;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code orders.idempotency.*}.
 *
 * @param retention       how long a key is remembered; a replay after that places a new order
 * @param lockTimeout     after this long an {@code IN_PROGRESS} key is presumed abandoned (its request
 *                        crashed) and a retry may take it over; far above the outbound HTTP timeouts
 * @param cleanupInterval how often expired keys are deleted
 */
@Validated
@ConfigurationProperties("orders.idempotency")
public record IdempotencyProperties(
        @NotNull @DefaultValue("24h") Duration retention,
        @NotNull @DefaultValue("30s") Duration lockTimeout,
        @NotNull @DefaultValue("1h") Duration cleanupInterval,
        @Min(1) @Max(100_000) @DefaultValue("1000") int cleanupBatchSize) {

    @AssertTrue(message = "orders.idempotency: retention, lock-timeout and cleanup-interval must be positive "
            + "and lock-timeout shorter than retention")
    public boolean isConsistent() {
        return retention == null || lockTimeout == null || cleanupInterval == null
                || (positive(retention) && positive(lockTimeout) && positive(cleanupInterval)
                && lockTimeout.compareTo(retention) < 0);
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }
}
