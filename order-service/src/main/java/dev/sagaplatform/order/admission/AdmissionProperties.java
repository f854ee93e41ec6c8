package dev.sagaplatform.order.admission;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code orders.admission.*}: see {@link SagaAdmission} for what each number does.
 *
 * @param refreshInterval how often the order table is read for in-flight and ended sagas
 * @param staleAfter      an order PENDING longer is stranded, not in flight, and takes no place at the door
 */
@Validated
@ConfigurationProperties("orders.admission")
public record AdmissionProperties(@DefaultValue("true") boolean enabled,
                                  @Min(1) @Max(1_000_000) @DefaultValue("16") int minInFlight,
                                  @Min(1) @Max(1_000_000) @DefaultValue("2000") int maxInFlight,
                                  @NotNull @DefaultValue("1s") Duration targetLatency,
                                  @NotNull @DefaultValue("3s") Duration window,
                                  @NotNull @DefaultValue("100ms") Duration refreshInterval,
                                  @NotNull @DefaultValue("2m") Duration staleAfter) {

    @AssertTrue(message = "orders.admission: min-in-flight must not exceed max-in-flight, and every duration must be positive")
    public boolean isConsistent() {
        return minInFlight <= maxInFlight && positive(targetLatency) && positive(window) && positive(refreshInterval)
                && positive(staleAfter);
    }

    private static boolean positive(Duration duration) {
        return duration == null || (!duration.isNegative() && !duration.isZero());
    }

    public SagaAdmission.Settings settings() {
        return new SagaAdmission.Settings(enabled, minInFlight, maxInFlight, targetLatency, window);
    }
}
