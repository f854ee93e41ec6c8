package dev.sagaplatform.testsupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModeSelectionTest {

    @Test
    void systemPropertyWinsOverEnvironmentVariable() {
        assertThat(TestInfrastructure.requestedMode("Embedded", "containers")).isEqualTo("embedded");
        assertThat(TestInfrastructure.requestedMode(null, "containers")).isEqualTo("containers");
        assertThat(TestInfrastructure.requestedMode(" ", null)).isNull();
        assertThat(TestInfrastructure.requestedMode("auto", "embedded")).isNull();
    }

    @Test
    void unknownValueIsRejectedWithTheValidOnes() {
        assertThatThrownBy(() -> TestInfrastructure.requestedMode("docker", null))
                .hasMessageContaining("PLATFORM_TEST_INFRA=docker")
                .hasMessageContaining("'embedded'")
                .hasMessageContaining("'containers'");
    }

    @Test
    void choosesByDockerAvailabilityUnlessForced() {
        assertThat(TestInfrastructure.chooseMode(null, true)).isEqualTo("containers");
        assertThat(TestInfrastructure.chooseMode(null, false)).isEqualTo("embedded");
        assertThat(TestInfrastructure.chooseMode("embedded", true)).isEqualTo("embedded");
        assertThat(TestInfrastructure.chooseMode("containers", true)).isEqualTo("containers");
    }

    @Test
    void containersWithoutDockerIsAClearError() {
        assertThatThrownBy(() -> TestInfrastructure.chooseMode("containers", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Docker engine is reachable")
                .hasMessageContaining("PLATFORM_TEST_INFRA=embedded");
    }

    @Test
    void requiresDockerDisablesWithAReasonWithoutDocker() {
        var result = new RequiresDocker.Condition().evaluateExecutionCondition(null);
        assertThat(result.isDisabled()).isEqualTo(!Docker.isAvailable());
        if (result.isDisabled()) {
            assertThat(result.getReason()).contains("no Docker engine");
        }
    }
}
