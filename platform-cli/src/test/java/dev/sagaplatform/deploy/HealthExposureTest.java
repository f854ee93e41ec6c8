package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Health components name a service's dependencies, breaker states, dead letters and the relay's sources: outside the
 * local platform only the platform admin sees them. Every service's own default says so, every service can authenticate
 * the admin (platform-web), and neither compose nor Kubernetes turns the details back on for everyone. The probes
 * ({@code /actuator/health/liveness}, {@code /readiness}) stay open: ComposePolicy and ManifestPolicy hold the health
 * checks and probes to them, and the services' tests show them answering without credentials.
 */
class HealthExposureTest {

    private static final List<String> SERVICES = List.of("order-service", "payment-service", "inventory-service", "saga-orchestrator",
            "outbox-relay", "payment-gateway");

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyServiceShowsHealthDetailsToThePlatformAdminOnly() {
        for (String service : SERVICES) {
            JsonNode health = applicationYml(service).path("management").path("endpoint").path("health");
            assertThat(health.path("show-details").asText()).as(service).isEqualTo("when-authorized");
            assertThat(health.path("roles").asText()).as(service + ": platform-web's admin role").isEqualTo("ADMIN");
            assertThat(health.has("show-components")).as(service + ": components follow the details").isFalse();
        }
    }

    @Test
    void everyServiceCanAuthenticateThePlatformAdmin() {
        for (String service : SERVICES) {
            String pom = Repository.read(Repository.root().resolve(service).resolve("pom.xml"));
            assertThat(pom).as(service).contains("<artifactId>platform-web</artifactId>", "<artifactId>spring-boot-starter-security</artifactId>");
        }
    }

    @Test
    void composeDoesNotShowHealthDetailsToEveryone() {
        String compose = Repository.read(Repository.root().resolve("docker-compose.yml"));
        assertThat(showsDetails(compose)).isFalse();
        JsonNode services = json.valueToTree(Repository.yaml(compose)).path("services");
        for (String service : SERVICES) {
            assertThat(services.path(service).path("environment").path("PLATFORM_ADMIN_PASSWORD").asText()).as(service).isNotBlank();
        }
    }

    @Test
    void kubernetesDoesNotShowHealthDetailsToEveryone() {
        Assumptions.assumeTrue(Kustomize.available(), "kubectl (with its built-in kustomize) is not on PATH");
        for (String overlay : List.of("base", "overlays/dev", "overlays/production")) {
            List<JsonNode> manifests = Kustomize.render(Repository.root().resolve("k8s").resolve(overlay));
            assertThat(manifests).as(overlay).noneMatch(manifest -> showsDetails(manifest.toString()));
            for (String service : SERVICES) {
                JsonNode container = manifests.stream().filter(m -> m.path("kind").asText().equals("Deployment")
                                && m.path("metadata").path("name").asText().equals(service)).findFirst().orElseThrow()
                        .path("spec").path("template").path("spec").path("containers").get(0);
                assertThat(container.path("envFrom").toString() + container.path("env"))
                        .as(overlay + " " + service + " gets the admin's credentials").contains("platform-credentials");
            }
        }
    }

    /** Any spelling of {@code management.endpoint.health.show-details} (property, relaxed environment variable) set to always. */
    private static boolean showsDetails(String text) {
        String normalized = text.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(".", "");
        return normalized.contains("showdetails") || normalized.contains("showcomponents");
    }

    private JsonNode applicationYml(String service) {
        Map<String, Object> yml = Repository.yamlDocuments(Repository.read(Repository.root().resolve(service)
                .resolve("src/main/resources/application.yml"))).get(0);
        return json.valueToTree(yml);
    }
}
