package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the Kubernetes probes (ManifestPolicy: liveness and readiness on the actuator's groups) ask each service: readiness
 * is its dependencies, liveness none of them, and no circuit breaker or dead-letter count is in either. Spring Boot
 * refuses to start a service whose group names a component it does not have, so the names below exist; payment-service's
 * ReadinessTest shows the groups going DOWN and staying UP for real.
 */
class ProbeGroupsTest {

    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "order-service;readinessState,db,kafka",
            "payment-service;readinessState,db,kafka",
            "inventory-service;readinessState,db,kafka",
            "saga-orchestrator;readinessState,db,kafka",
            "payment-gateway;readinessState,db",
            "outbox-relay;readinessState,relaySources",
            "saga-console;readinessState,db"})
    void readinessIsTheDependenciesAndLivenessTheJvmAlone(String service, String readiness) {
        JsonNode groups = applicationYml(service).path("management").path("endpoint").path("health").path("group");

        assertThat(members(groups.path("readiness"))).as(service).containsExactlyInAnyOrderElementsOf(Arrays.asList(readiness.split(",")));
        assertThat(members(groups.path("liveness"))).as(service).containsExactly("livenessState");
    }

    private static List<String> members(JsonNode group) {
        return Arrays.stream(group.path("include").asText().split(",")).map(String::strip).filter(name -> !name.isEmpty()).toList();
    }

    private JsonNode applicationYml(String service) {
        Map<String, Object> yml = Repository.yamlDocuments(Repository.read(Repository.root().resolve(service)
                .resolve("src/main/resources/application.yml"))).get(0);
        return json.valueToTree(yml);
    }
}
