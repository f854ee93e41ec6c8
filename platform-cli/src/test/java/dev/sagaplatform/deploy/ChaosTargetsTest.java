package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagaplatform.cli.chaos.experiment.Experiment;
import dev.sagaplatform.cli.chaos.experiment.ExperimentParser;
import dev.sagaplatform.cli.chaos.experiment.Services;
import dev.sagaplatform.cli.chaos.targets.ComposeTarget;
import dev.sagaplatform.cli.chaos.targets.FaultPlan;
import dev.sagaplatform.cli.chaos.targets.KubernetesTarget;
import dev.sagaplatform.cli.chaos.targets.Operation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The compose and k8s targets cannot run here (no Docker engine, no cluster), so this checks the exact
 * commands and resources they would issue against the deployment files they act on: every container,
 * proxy, workload and label selector they name exists in docker-compose.yml, docker/toxiproxy and k8s/.
 */
class ChaosTargetsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Operation> plan(String yamlMethod, dev.sagaplatform.cli.chaos.targets.ChaosTarget target) throws Exception {
        Experiment experiment = ExperimentParser.parse("experiment:\n  name: t\n  method:\n" + yamlMethod, "t.yaml");
        FaultPlan plan = FaultPlan.of(experiment.method().get(0), target);
        List<Operation> operations = new ArrayList<>(plan.inject());
        operations.addAll(plan.undo());
        return operations;
    }

    private static List<String> described(List<Operation> operations) {
        return operations.stream().map(Operation::describe).toList();
    }

    @Test
    void composeKillsPausesAndRestartsTheContainersOfDockerComposeYml() throws Exception {
        ComposeTarget compose = new ComposeTarget(Path.of("docker-compose.yml"), "admin", "secret");
        assertThat(described(plan("    - action: kill\n      target: payment-service\n", compose))).containsExactly(
                "docker compose -f docker-compose.yml kill -s SIGKILL payment-service",
                "docker compose -f docker-compose.yml unpause payment-service (if paused); docker compose -f docker-compose.yml up -d --wait payment-service");
        assertThat(described(plan("    - action: pause\n      target: inventory\n      duration: 5s\n", compose))).containsExactly(
                "docker compose -f docker-compose.yml pause inventory-service", "docker compose -f docker-compose.yml unpause inventory-service");
        assertThat(described(plan("    - action: rewind-consumer-group\n      target: payment-service\n      messages: 7\n", compose)))
                .contains("docker compose -f docker-compose.yml exec -T kafka /opt/kafka/bin/kafka-consumer-groups.sh --bootstrap-server"
                        + " kafka:9091 --group payment-service --reset-offsets --all-topics --shift-by -7 --execute");

        Map<String, Object> services = asMap(Repository.yaml(Repository.read(Repository.root().resolve("docker-compose.yml"))).get("services"));
        for (String service : List.of(Services.ORDER, Services.PAYMENT, Services.INVENTORY, Services.ORCHESTRATOR, Services.RELAY,
                Services.GATEWAY, Services.KAFKA, Services.POSTGRES)) {
            assertThat(services).as("compose services").containsKey(service);
        }
    }

    @Test
    void composeNetworkFaultsGoToTheToxiproxyProxiesThatDockerComposeDefines() throws Exception {
        ComposeTarget compose = new ComposeTarget(Path.of("docker-compose.yml"), "admin", "secret");
        List<String> latency = described(plan("    - action: latency\n      target: {service: order-service, to: kafka}\n"
                + "      latency: 300ms\n      duration: 10s\n", compose));
        assertThat(latency).containsExactly(
                "POST http://localhost:8474/proxies/kafka/toxics {\"name\":\"chaos-latency-downstream\",\"type\":\"latency\",\"stream\":\"downstream\","
                        + "\"toxicity\":1.0,\"attributes\":{\"latency\":300,\"jitter\":0}}",
                "DELETE http://localhost:8474/proxies/kafka/toxics/chaos-latency-downstream");
        assertThat(described(plan("    - action: partition\n      between: [payment-service, payment-gateway]\n      duration: 10s\n", compose)))
                .containsExactly("POST http://localhost:8474/proxies/payment-gateway {\"enabled\":false}",
                        "POST http://localhost:8474/proxies/payment-gateway {\"enabled\":true}");

        JsonNode proxies = JSON.readTree(Repository.read(Repository.root().resolve("docker/toxiproxy/toxiproxy.json")));
        List<String> names = new ArrayList<>();
        proxies.forEach(proxy -> names.add(proxy.path("name").asText()));
        assertThat(names).containsExactlyInAnyOrder(Services.POSTGRES, Services.KAFKA, Services.GATEWAY);

        Experiment unproxied = ExperimentParser.parse("experiment:\n  name: t\n  method:\n    - action: latency\n"
                + "      target: {service: order-service, to: inventory-service}\n      latency: 1s\n      duration: 5s\n", "t.yaml");
        assertThatThrownBy(() -> compose.preflight(unproxied)).hasMessageContaining("compose proxies only the paths to postgres, kafka and payment-gateway");
    }

    @Test
    void kubernetesChaosMeshResourcesSelectExactlyThePodsOfTheManifests() throws Exception {
        KubernetesTarget k8s = new KubernetesTarget("saga-platform", "admin", "secret");
        List<Operation> operations = plan("    - action: latency\n      target: {service: payment-service, to: payment-gateway}\n"
                + "      latency: 250ms\n      jitter: 50ms\n      duration: 30s\n", k8s);
        Operation.Command apply = (Operation.Command) operations.get(0);
        assertThat(apply.argv()).containsExactly("kubectl", "apply", "-f", "-");
        JsonNode chaos = JSON.readTree(apply.stdin());
        assertThat(chaos.path("apiVersion").asText()).isEqualTo("chaos-mesh.org/v1alpha1");
        assertThat(chaos.path("kind").asText()).isEqualTo("NetworkChaos");
        assertThat(chaos.path("spec").path("action").asText()).isEqualTo("delay");
        assertThat(chaos.path("spec").path("delay").path("latency").asText()).isEqualTo("250ms");
        assertThat(chaos.path("spec").path("delay").path("jitter").asText()).isEqualTo("50ms");
        assertThat(described(operations.subList(1, 2))).containsExactly(
                "kubectl -n saga-platform delete networkchaos chaos-latency-downstream-payment-service-to-payment-gateway --ignore-not-found");

        String namespace = (String) Repository.yaml(Repository.read(Repository.root().resolve("k8s/base/kustomization.yaml"))).get("namespace");
        assertThat(chaos.path("metadata").path("namespace").asText()).isEqualTo(namespace);
        assertSelectsPodsOf(chaos.path("spec").path("selector"), "payment-service", namespace);
        assertSelectsPodsOf(chaos.path("spec").path("target").path("selector"), "payment-gateway", namespace);

        Operation.Command pause = (Operation.Command) plan("    - action: pause\n      target: order-service\n      duration: 10s\n", k8s).get(0);
        JsonNode podChaos = JSON.readTree(pause.stdin());
        assertThat(podChaos.path("kind").asText()).isEqualTo("PodChaos");
        assertThat(podChaos.path("spec").path("action").asText()).isEqualTo("pod-failure");
        assertSelectsPodsOf(podChaos.path("spec").path("selector"), "order-service", namespace);

        assertThat(described(plan("    - action: kill\n      target: saga-orchestrator\n", k8s))).containsExactly(
                "kubectl -n saga-platform delete pod -l app.kubernetes.io/name=saga-orchestrator --grace-period=0 --force --wait=false",
                // The Deployment recreates a killed pod: start scales back up only what stop scaled to 0, to the count it had,
                // never to a fixed 1 that would shrink a 2-replica Deployment.
                "kubectl -n saga-platform delete podchaos chaos-pause-saga-orchestrator --ignore-not-found; kubectl -n saga-platform scale"
                        + " deployment/saga-orchestrator --replicas=<its count before stop> (if stop scaled it to 0); kubectl -n saga-platform"
                        + " rollout status deployment/saga-orchestrator --timeout=240s");
        List<String> rolling = described(plan("    - action: rolling-restart\n      target: outbox-relay\n", k8s));
        assertThat(rolling.get(0)).isEqualTo("kubectl -n saga-platform rollout restart deployment/outbox-relay; kubectl -n saga-platform"
                + " rollout status deployment/outbox-relay --timeout=240s");
        assertThat(String.join("\n", rolling)).doesNotContain("--replicas=1");
    }

    @Test
    void probeUrlsNamingAServiceOrAConventionalPathReachItsPublishedPort() {
        ComposeTarget compose = new ComposeTarget(Path.of("docker-compose.yml"), "admin", "secret");
        assertThat(compose.resolve("http://payment-service.shop.svc.cluster.local/health")).hasToString("http://localhost:8082/actuator/health");
        assertThat(compose.resolve("http://localhost:8084/sagas?state=STUCK")).hasToString("http://localhost:8084/sagas?state=STUCK");
        assertThat(new KubernetesTarget("shop", null, null).resolve("http://orchestrator/ready"))
                .hasToString("http://saga-orchestrator.shop.svc.cluster.local:8084/actuator/health/readiness");
    }

    @Test
    void kubernetesActsInTheNamespaceTheExperimentNames() throws Exception {
        KubernetesTarget k8s = new KubernetesTarget("saga-platform", null, null);
        assertThat(described(plan("    - action: kill\n      target: {service: payment, namespace: shop}\n", k8s)).get(0))
                .isEqualTo("kubectl -n shop delete pod -l app.kubernetes.io/name=payment-service --grace-period=0 --force --wait=false");
    }

    /** The selector names the namespace and labels that the service's Deployment gives its pods in k8s/base. */
    private static void assertSelectsPodsOf(JsonNode selector, String service, String namespace) {
        assertThat(selector.path("namespaces").get(0).asText()).isEqualTo(namespace);
        Map<String, Object> deployment = Repository.yamlDocuments(Repository.read(Repository.root().resolve("k8s/base/services/" + service + ".yaml")))
                .stream().filter(document -> "Deployment".equals(document.get("kind"))).findFirst().orElseThrow();
        Map<String, Object> podLabels = asMap(asMap(asMap(asMap(deployment.get("spec")).get("template")).get("metadata")).get("labels"));
        selector.path("labelSelectors").fields().forEachRemaining(label ->
                assertThat(podLabels).as("pod labels of " + service).containsEntry(label.getKey(), label.getValue().asText()));
        assertThat(selector.path("labelSelectors").size()).isPositive();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }
}
