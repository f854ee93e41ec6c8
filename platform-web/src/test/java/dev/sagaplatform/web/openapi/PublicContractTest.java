package dev.sagaplatform.web.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The design's endpoint tables parse; each service's own OpenApiContractTest compares its table with what it serves. */
class PublicContractTest {

    @ParameterizedTest
    @ValueSource(strings = {"order-service", "payment-service", "inventory-service", "saga-orchestrator", "payment-gateway"})
    void everyHttpServiceHasAnEndpointTableInTheDesign(String service) {
        var operations = PublicContract.of(service);

        assertThat(operations).isNotEmpty().allSatisfy(operation -> {
            assertThat(operation.path()).startsWith("/");
            assertThat(operation.statuses()).isNotEmpty().allMatch(status -> status.matches("[1-5]\\d\\d"));
            assertThat(operation.access()).isIn("open", "admin", "merchant key");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"outbox-relay", "no-such-service"})
    void aServiceWithoutAnApiHasNoTable(String service) {
        assertThat(PublicContract.of(service)).isEmpty();
    }
}
