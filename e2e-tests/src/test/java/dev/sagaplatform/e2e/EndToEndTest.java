package dev.sagaplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.testsupport.RealInfrastructure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInfo;

/**
 * Base of every end-to-end test: one platform per JVM, and after each test the business invariants
 * of DESIGN.md must hold once the sagas have settled.
 *
 * <p>A violation fails the test after which it first appeared, named there; the platform is shared, so the same
 * broken state would otherwise fail every later test too. Later tests fail only for violations of their own.
 */
@Tag(RealInfrastructure.TAG)
abstract class EndToEndTest {

    static final ApplicationUnderTest app = ApplicationUnderTest.get();
    static final PlatformClient client = new PlatformClient(app);

    /** Violations already reported, with the test after which each first appeared. */
    private static final Map<String, String> reported = new LinkedHashMap<>();

    @AfterEach
    void invariantsHold(TestInfo test) {
        String name = test.getTestClass().map(Class::getSimpleName).orElse("?") + "." + test.getDisplayName();
        List<String> fresh = new ArrayList<>();
        synchronized (reported) {
            for (String violation : new Invariants(app).violations()) {
                if (reported.putIfAbsent(violation, name) == null) {
                    fresh.add(violation);
                }
            }
        }
        assertThat(fresh).as("business invariants broken after " + name
                + (reported.size() > fresh.size() ? " (earlier ones, reported by the tests that caused them, not counted again)" : ""))
                .isEmpty();
    }
}
