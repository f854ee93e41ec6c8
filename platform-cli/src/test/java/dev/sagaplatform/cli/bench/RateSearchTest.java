package dev.sagaplatform.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;

class RateSearchTest {

    private static List<Double> tried(RateSearch search, DoublePredicate holds) {
        List<Double> rates = new ArrayList<>();
        for (OptionalDouble rate = search.next(); rate.isPresent(); rate = search.next()) {
            rates.add(rate.getAsDouble());
            search.record(rate.getAsDouble(), holds.test(rate.getAsDouble()));
        }
        return rates;
    }

    @Test
    void climbsWhileStepsHoldThenTriesOnceHalfwayToTheFirstFailure() {
        RateSearch search = new RateSearch(10, 1.3, 10);

        assertThat(tried(search, rate -> rate <= 25)).containsExactly(10.0, 13.0, 17.0, 22.0, 29.0, 26.0);
        assertThat(search.sustained()).hasValue(22.0);
    }

    @Test
    void goesDownByHalfWhenEvenTheFirstRateFails() {
        RateSearch search = new RateSearch(40, 1.3, 10);

        assertThat(tried(search, rate -> rate <= 12)).containsExactly(40.0, 20.0, 10.0, 15.0);
        assertThat(search.sustained()).hasValue(10.0);
    }

    @Test
    void stopsAfterTheMaximumNumberOfStepsAndReportsNothingWhenNothingHeld() {
        RateSearch search = new RateSearch(40, 1.3, 3);

        assertThat(tried(search, rate -> false)).containsExactly(40.0, 20.0, 10.0);
        assertThat(search.sustained()).isEmpty();
    }
}
