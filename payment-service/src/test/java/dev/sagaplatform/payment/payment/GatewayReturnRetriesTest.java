package dev.sagaplatform.payment.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.payment.payment.GatewayReturnRetries.Next;
import dev.sagaplatform.payment.payment.GatewayReturnRetries.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewayReturnRetriesTest {

    private final GatewayReturnRetries retries = new GatewayReturnRetries(Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofMinutes(5));

    @Test
    void aConfirmedReturnIsDone() {
        assertThat(retries.after(Outcome.CONFIRMED, 3).done()).isTrue();
    }

    @Test
    void anUnavailableGatewayBacksOffExponentiallyUpToTheMaximumAndHoldsTheBatch() {
        assertThat(retries.after(Outcome.UNAVAILABLE, 0)).isEqualTo(new Next(false, Duration.ofSeconds(1), false, true));
        assertThat(retries.after(Outcome.UNAVAILABLE, 3).retryAfter()).isEqualTo(Duration.ofSeconds(8));
        assertThat(retries.after(Outcome.UNAVAILABLE, 5).retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(retries.after(Outcome.UNAVAILABLE, 1_000).retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aRefusalIsRetriedAtTheSlowPaceAndMarkedRefused() {
        assertThat(retries.after(Outcome.REFUSED, 7)).isEqualTo(new Next(false, Duration.ofMinutes(5), true, false));
    }

    @Test
    void anyOtherFailureBacksOffWithoutHoldingTheBatch() {
        assertThat(retries.after(Outcome.FAILED, 1)).isEqualTo(new Next(false, Duration.ofSeconds(2), false, false));
    }
}
