package dev.sagaplatform.order.orders;

import dev.sagaplatform.contracts.SagaFlow;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code orders.*}. {@code defaultFlow} applies to requests that name no {@code flow}; {@code choreography}
 * is the choreographed flow's deadline ({@link ChoreographyDeadline}).
 */
@Validated
@ConfigurationProperties("orders")
public record OrderProperties(@NotNull @DefaultValue("CHOREOGRAPHY") SagaFlow defaultFlow,
                              @Valid @NotNull @DefaultValue Choreography choreography) {

    /**
     * @param deadline      a choreographed order without an outcome this long after it was placed ends {@code TIMED_OUT}
     * @param checkInterval how often overdue orders are looked for
     * @param batchSize     at most this many overdue orders are ended per check
     */
    public record Choreography(@NotNull @DefaultValue("2m") Duration deadline,
                               @NotNull @DefaultValue("5s") Duration checkInterval,
                               @Min(1) @Max(10_000) @DefaultValue("100") int batchSize) {

        public Choreography {
            if (deadline != null && deadline.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("orders.choreography.deadline must be at least 1s, was " + deadline);
            }
        }
    }
}
