package dev.sagaplatform.e2e;

import dev.sagaplatform.invariants.InvariantCheck;
import dev.sagaplatform.invariants.PlatformAccess;
import dev.sagaplatform.invariants.Violation;
import dev.sagaplatform.e2e.ApplicationUnderTest.Service;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The business invariants of DESIGN.md on the platform under test: the same check as {@code ./platform verify}
 * and every chaos experiment's verdict ({@link InvariantCheck}), reading each service's database and the topics.
 */
final class Invariants {

    static final Duration SETTLE = Duration.ofSeconds(90);

    private final ApplicationUnderTest app;

    Invariants(ApplicationUnderTest app) {
        this.app = app;
    }

    /** Waits for every saga to end, then returns every violated invariant (empty when all hold). */
    List<String> violations() {
        return violations(SETTLE);
    }

    /** The same, waiting at most {@code settle} for sagas in flight. */
    List<String> violations(Duration settle) {
        return violations(settle, InvariantCheck.DEFAULT_PUBLISHED_WAIT);
    }

    /** The same, waiting at most {@code publishedWait} for the relay to publish what it has not yet. */
    List<String> violations(Duration settle, Duration publishedWait) {
        PlatformAccess access = new PlatformAccess(service -> app.database(byModule(service)).getConnection(),
                app.kafkaBootstrapServers(), true);
        return new InvariantCheck(access, line -> { }, publishedWait).check(settle).violations().stream()
                .map(Violation::message).toList();
    }

    private static Service byModule(String module) {
        return Arrays.stream(Service.values()).filter(s -> s.module.equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + module));
    }
}
