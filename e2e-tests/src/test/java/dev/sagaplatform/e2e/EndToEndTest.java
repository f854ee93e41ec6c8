package dev.sagaplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;

/**
 * Base of every end-to-end test: one platform per JVM, and after each test the business invariants
 * of DESIGN.md must hold once the sagas have settled.
 */
abstract class EndToEndTest {

    static final ApplicationUnderTest app = ApplicationUnderTest.get();
    static final PlatformClient client = new PlatformClient(app);

    @AfterEach
    void invariantsHold() {
        assertThat(new Invariants(app).violations()).as("business invariants after the test").isEmpty();
    }
}
