package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** k8s/ rendered with kustomize, read strictly into the Kubernetes API model, and held to the policy. */
class KubernetesManifestsTest {

    private static final Path K8S = Repository.root().resolve("k8s");
    private static final List<String> SERVICES = List.of("order-service", "payment-service", "inventory-service", "saga-orchestrator",
            "outbox-relay", "payment-gateway", "saga-console");

    static Stream<String> kustomizations() {
        return Stream.of("base", "overlays/dev", "overlays/production");
    }

    private static List<JsonNode> render(String kustomization) {
        Assumptions.assumeTrue(Kustomize.available(), "kubectl (with its built-in kustomize) is not on PATH");
        return Kustomize.render(K8S.resolve(kustomization));
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyManifestIsAValidApiObject(String kustomization) {
        List<JsonNode> manifests = render(kustomization);
        assertThat(manifests).isNotEmpty();
        List<String> invalid = new ArrayList<>();
        for (JsonNode manifest : manifests) {
            try {
                KubernetesModel.read(manifest);
            }
            catch (IllegalArgumentException ex) {
                invalid.add(ex.getMessage());
            }
        }
        assertThat(invalid).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void manifestsFollowThePolicy(String kustomization) {
        assertThat(ManifestPolicy.violations(render(kustomization), suppliedSecrets(kustomization))).isEmpty();
    }

    /** The Secrets the cluster supplies in an overlay: in production the base's placeholders, which it does not apply. */
    private static java.util.Set<String> suppliedSecrets(String kustomization) {
        return kustomization.equals("overlays/production") ? placeholderSecrets().keySet() : java.util.Set.of();
    }

    /** The base's Secrets (development placeholders) by name. */
    private static Map<String, JsonNode> placeholderSecrets() {
        Map<String, JsonNode> secrets = new java.util.TreeMap<>();
        render("base").stream().filter(m -> m.path("kind").asText().equals("Secret"))
                .forEach(m -> secrets.put(m.path("metadata").path("name").asText(), m));
        return secrets;
    }

    /**
     * A real cluster supplies the Secrets from its secret store (k8s/README.md): applying the production overlay must
     * not write the base's change-me placeholders over them. So it applies no Secret at all, and what its workloads
     * read is one of the base's Secrets (the names the README lists) or a KafkaUser's (Strimzi creates it).
     */
    @Test
    void productionAppliesNoPlaceholderSecretOverTheClustersOwn() {
        List<JsonNode> manifests = render("overlays/production");
        assertThat(manifests).noneMatch(m -> m.path("kind").asText().equals("Secret"));
        assertThat(manifests.toString()).doesNotContain("change-me");
        java.util.Set<String> kafkaUsers = new java.util.HashSet<>();
        manifests.stream().filter(m -> m.path("kind").asText().equals("KafkaUser")).forEach(m -> kafkaUsers.add(m.path("metadata").path("name").asText()));
        String readme = Repository.read(K8S.resolve("README.md"));
        for (JsonNode manifest : manifests) {
            if (manifest.path("kind").asText().equals("Deployment") || manifest.path("kind").asText().equals("StatefulSet")) {
                for (String secret : secretsReadBy(manifest)) {
                    assertThat(placeholderSecrets().containsKey(secret) || kafkaUsers.contains(secret))
                            .as(manifest.path("metadata").path("name").asText() + " reads Secret " + secret).isTrue();
                    assertThat(kafkaUsers.contains(secret) || readme.contains("`" + secret + "`"))
                            .as("k8s/README.md names the Secret " + secret + " the cluster must supply").isTrue();
                }
            }
        }
        // CloudNativePG reads the roles' Secrets too (their passwords): the same names, also supplied by the cluster.
        for (String secret : CloudNativePgTest.secretsReadBy(CloudNativePgTest.cluster(manifests))) {
            assertThat(placeholderSecrets()).as("the Cluster reads Secret " + secret).containsKey(secret);
            assertThat(readme).as("k8s/README.md names the Secret " + secret + " the cluster must supply").contains("`" + secret + "`");
        }
        // The base and dev still bring their placeholders, so a local cluster runs without a secret store.
        assertThat(render("overlays/dev")).anyMatch(m -> m.path("kind").asText().equals("Secret"));
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyServiceHasADeploymentAServiceAndABudget(String kustomization) {
        List<JsonNode> manifests = render(kustomization);
        for (String service : SERVICES) {
            for (String kind : List.of("Deployment", "Service", "PodDisruptionBudget")) {
                assertThat(manifests).as(kind + " " + service).anyMatch(m -> m.path("kind").asText().equals(kind)
                        && m.path("metadata").path("name").asText().equals(service));
            }
        }
        assertThat(manifests).anyMatch(m -> m.path("kind").asText().equals("Kafka"));
        if (kustomization.equals("overlays/production")) {
            // The CloudNativePG cluster in place of the StatefulSet, with the same settings (CloudNativePgTest: the rest).
            assertThat(manifests).anyMatch(m -> m.path("kind").asText().equals("Cluster")
                    && m.path("spec").path("postgresql").path("parameters").path("wal_level").asText().equals("logical")
                    && m.path("spec").path("postgresql").path("parameters").path("max_slot_wal_keep_size").asText().equals("1GB"));
        }
        else {
            assertThat(manifests).anyMatch(m -> m.path("kind").asText().equals("StatefulSet")
                    && m.path("spec").path("template").toString().contains("wal_level=logical") && m.path("spec").path("template").toString().contains("max_slot_wal_keep_size=1GB"));
        }
        assertThat(manifests).allMatch(m -> m.path("kind").asText().equals("Namespace")
                || m.path("metadata").path("namespace").asText().equals("saga-platform"));
    }

    @Test
    void productionRunsTwoReplicasOfTheStatelessServicesAndThreeKafkaNodes() {
        List<JsonNode> manifests = render("overlays/production");
        for (JsonNode manifest : manifests) {
            String name = manifest.path("metadata").path("name").asText();
            switch (manifest.path("kind").asText()) {
                case "Deployment" -> assertThat(manifest.path("spec").path("replicas").asInt()).as(name)
                        .isEqualTo(name.equals("payment-gateway") || name.equals("saga-console") ? 1 : 2);
                case "KafkaNodePool" -> assertThat(manifest.path("spec").path("replicas").asInt()).isEqualTo(3);
                case "KafkaTopic" -> assertThat(manifest.path("spec").path("replicas").asInt()).as(name).isEqualTo(3);
                default -> {
                }
            }
        }
    }

    /** A fresh apply starts everything at once: no service may crash-loop while PostgreSQL or Kafka is not there yet. */
    @Test
    void policyCatchesAServiceThatDoesNotWaitForItsDependencies() {
        List<JsonNode> manifests = new ArrayList<>(render("base"));
        ((ObjectNode) deployment(manifests, "inventory-service").path("spec").path("template").path("spec")).remove("initContainers");
        ObjectNode orderWait = (ObjectNode) deployment(manifests, "order-service").path("spec").path("template").path("spec")
                .path("initContainers").get(0);
        ((ArrayNode) orderWait.path("args")).set(0, "until (exec 3<>/dev/tcp/$DB_HOST/$DB_PORT); do sleep 2; done");
        assertThat(ManifestPolicy.violations(manifests)).containsExactlyInAnyOrder(
                "Deployment inventory-service: no init container wait-for-dependencies (it crash-loops while PostgreSQL or Kafka is not there yet)",
                "Deployment order-service: wait-for-dependencies does not wait for the database ($DB_HOST:$DB_PORT)",
                "Deployment order-service: wait-for-dependencies does not wait for Kafka's bootstrap Service");
    }

    /** Memory in MiB of a Kubernetes quantity (Ki, Mi, Gi, or bytes). */
    static long mebibytes(String quantity) {
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        if (quantity.endsWith("Mi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2));
        }
        if (quantity.endsWith("Ki")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) / 1024;
        }
        return Long.parseLong(quantity) / (1024 * 1024);
    }

    /** A pod's memory request as the scheduler counts it: the containers' sum, or the largest init container's if more. */
    private static long podRequest(JsonNode podSpec) {
        long containers = 0;
        for (JsonNode container : podSpec.path("containers")) {
            containers += mebibytes(container.path("resources").path("requests").path("memory").asText("0"));
        }
        long init = 0;
        for (JsonNode container : podSpec.path("initContainers")) {
            init = Math.max(init, mebibytes(container.path("resources").path("requests").path("memory").asText("0")));
        }
        return Math.max(containers, init);
    }

    /**
     * The dev overlay is for a 4 GiB local cluster (kind, minikube, k3d), whose node keeps some for itself: every
     * memory request of the platform plus the Strimzi operator's (384Mi, its Helm chart's default) within 3 GiB.
     */
    @Test
    void theDevOverlayFitsASmallLocalCluster() {
        long budget = 3 * 1024;
        long strimziOperator = 384;
        long requested = 0;
        for (JsonNode manifest : render("overlays/dev")) {
            switch (manifest.path("kind").asText()) {
                case "Deployment", "StatefulSet" -> requested += manifest.path("spec").path("replicas").asLong(1)
                        * podRequest(manifest.path("spec").path("template").path("spec"));
                case "KafkaNodePool" -> requested += manifest.path("spec").path("replicas").asLong()
                        * mebibytes(manifest.path("spec").path("resources").path("requests").path("memory").asText("0"));
                case "Kafka" -> assertThat(manifest.path("spec").path("entityOperator").toString())
                        .as("the entity operator's requests are not counted: none are set").doesNotContain("\"requests\"");
                default -> {
                }
            }
        }
        assertThat(requested + strimziOperator).as("MiB of memory requested by the dev overlay and the Strimzi operator").isLessThanOrEqualTo(budget);
    }

    /**
     * The JVM's heap is a share of the container's memory limit; the rest holds metaspace (Spring Boot, Kafka clients,
     * Debezium: 150-200 MiB), the code cache, thread stacks, direct buffers and the GC. At least 300 MiB stay for those.
     * The image's java command line (jib jvmFlags in the root pom) carries the flag and wins over JAVA_TOOL_OPTIONS,
     * so both must say the same.
     */
    @ParameterizedTest
    @MethodSource("kustomizations")
    void theHeapLeavesRoomForTheRestOfTheJvm(String kustomization) {
        java.util.regex.Pattern flag = java.util.regex.Pattern.compile("-XX:MaxRAMPercentage=(\\d+)");
        java.util.regex.Matcher image = flag.matcher(Repository.read(Repository.root().resolve("pom.xml")));
        assertThat(image.find()).as("the root pom's jib jvmFlags set MaxRAMPercentage").isTrue();
        int percent = Integer.parseInt(image.group(1));
        assertThat(percent).isBetween(40, 60);
        List<JsonNode> manifests = render(kustomization);
        JsonNode config = manifests.stream().filter(m -> m.path("kind").asText().equals("ConfigMap")
                && m.path("metadata").path("name").asText().equals("platform-config")).findFirst().orElseThrow();
        java.util.regex.Matcher options = flag.matcher(config.path("data").path("JAVA_TOOL_OPTIONS").asText());
        assertThat(options.find()).isTrue();
        assertThat(Integer.parseInt(options.group(1))).as("JAVA_TOOL_OPTIONS and the image's flag agree").isEqualTo(percent);
        for (JsonNode manifest : manifests) {
            if (!manifest.path("kind").asText().equals("Deployment")) {
                continue;
            }
            long limit = mebibytes(manifest.path("spec").path("template").path("spec").path("containers").get(0)
                    .path("resources").path("limits").path("memory").asText());
            long heap = limit * percent / 100;
            assertThat(limit - heap).as(manifest.path("metadata").path("name").asText() + ": MiB outside the heap of a "
                    + limit + "Mi limit").isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void aMisspelledFieldIsRejected() {
        JsonNode deployment = deployment(render("base"), "order-service");
        ObjectNode container = (ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0);
        container.set("readinesProbe", container.remove("readinessProbe"));
        assertThatThrownBy(() -> KubernetesModel.read(deployment)).hasMessageContaining("Unrecognized field \"readinesProbe\"");
    }

    @Test
    void aMisspelledFieldInAStrimziResourceIsRejected() {
        JsonNode kafka = render("base").stream().filter(m -> m.path("kind").asText().equals("Kafka")).findFirst().orElseThrow();
        ((ObjectNode) kafka.path("spec").path("kafka")).put("replica", 3);
        assertThatThrownBy(() -> KubernetesModel.read(kafka)).hasMessageContaining("Unrecognized field \"replica\"");
    }

    @Test
    void anUnknownKindIsRejected() {
        JsonNode ingress = Kustomize.documents("""
                apiVersion: extensions/v1beta1
                kind: Ingress
                metadata:
                  name: shop
                """).get(0);
        assertThatThrownBy(() -> KubernetesModel.read(ingress)).hasMessageContaining("no API model for extensions/v1beta1/Ingress");
    }

    @Test
    void policyCatchesMissingBudgetsProbesOnTheWholeHealthAndMissingLimits() {
        List<JsonNode> manifests = new ArrayList<>(render("base"));
        manifests.removeIf(m -> m.path("kind").asText().equals("PodDisruptionBudget")
                && m.path("metadata").path("name").asText().equals("inventory-service"));
        ObjectNode container = (ObjectNode) deployment(manifests, "payment-service").path("spec").path("template").path("spec")
                .path("containers").get(0);
        ((ObjectNode) container.path("livenessProbe").path("httpGet")).put("path", "/actuator/health");
        ((ObjectNode) container.path("readinessProbe").path("httpGet")).put("path", "/actuator/health");
        ((ObjectNode) container.path("resources")).remove("limits");
        ObjectNode relay = (ObjectNode) deployment(manifests, "outbox-relay").path("spec");
        relay.put("replicas", 1);
        ((ObjectNode) relay.path("strategy")).put("type", "Recreate").remove("rollingUpdate");

        assertThat(ManifestPolicy.violations(manifests)).containsExactlyInAnyOrder(
                "Deployment inventory-service: 0 PodDisruptionBudgets select its pods (want exactly 1)",
                "Deployment payment-service/payment-service: livenessProbe on '/actuator/health', not the liveness group /actuator/health/liveness",
                "Deployment payment-service/payment-service: readinessProbe on '/actuator/health', not the readiness group /actuator/health/readiness",
                "Deployment payment-service/payment-service: no resources.limits.cpu",
                "Deployment payment-service/payment-service: no resources.limits.memory",
                "Deployment outbox-relay: the relay needs a standby (replicas 2 or more; the election keeps one publisher per source)",
                "Deployment outbox-relay: the relay needs a RollingUpdate with maxUnavailable 0 (an update must never stop every instance)");
    }

    @Test
    void policyCatchesARootContainerAndAMissingSecret() {
        List<JsonNode> manifests = new ArrayList<>(render("base"));
        manifests.removeIf(m -> m.path("kind").asText().equals("Secret"));
        ObjectNode pod = (ObjectNode) deployment(manifests, "order-service").path("spec").path("template").path("spec");
        ((ObjectNode) pod.path("securityContext")).put("runAsNonRoot", false);
        ((ObjectNode) ((ArrayNode) pod.path("containers")).get(0).path("securityContext")).put("readOnlyRootFilesystem", false);
        List<String> problems = ManifestPolicy.violations(manifests);
        assertThat(problems).contains("Deployment order-service/order-service: not runAsNonRoot",
                "Deployment order-service/order-service: root file system not read-only",
                "Deployment order-service/order-service: refers to Secret platform-credentials, which the manifests do not define");
    }

    @Test
    void theServicesReadTheSettingsTheirApplicationYmlExpects() {
        JsonNode config = render("base").stream().filter(m -> m.path("kind").asText().equals("ConfigMap")
                && m.path("metadata").path("name").asText().equals("platform-config")).findFirst().orElseThrow();
        assertThat(Map.of("DB_HOST", "postgres", "DB_PORT", "5432", "KAFKA_BOOTSTRAP_SERVERS", "saga-kafka-bootstrap:9092"))
                .allSatisfy((key, value) -> assertThat(config.path("data").path(key).asText()).isEqualTo(value));
        for (String service : List.of("order-service", "payment-service", "inventory-service", "outbox-relay")) {
            String yml = Repository.read(Repository.root().resolve(service).resolve("src/main/resources/application.yml"));
            assertThat(yml).as(service).contains("${DB_HOST:", "${KAFKA_BOOTSTRAP_SERVERS:", "${PORT:");
        }
    }

    /** The gateway's merchant key moves money: only the gateway and the one merchant, payment-service, may read it. */
    @Test
    void onlyTheGatewayAndPaymentServiceGetTheMerchantKey() {
        for (String overlay : List.of("base", "overlays/dev", "overlays/production")) {
            List<String> readers = render(overlay).stream().filter(m -> m.path("kind").asText().equals("Deployment"))
                    .filter(m -> m.toString().contains("gateway-merchant-key") || m.toString().contains("PAYMENT_GATEWAY_API_KEY"))
                    .map(m -> m.path("metadata").path("name").asText()).sorted().toList();
            assertThat(readers).as(overlay).containsExactly("payment-gateway", "payment-service");
        }
        assertThat(render("base").stream().filter(m -> m.path("kind").asText().equals("Secret")
                && m.path("metadata").path("name").asText().equals("platform-credentials")).findFirst().orElseThrow().toString())
                .as("the key every service reads must not hold it").doesNotContain("PAYMENT_GATEWAY_API_KEY");
    }

    /**
     * Least privilege for the databases: each service connects with its own role from its own Secret, the relay with
     * outbox_relay, none as the superuser, whose Secret only PostgreSQL reads. PostgreSQL runs the script compose runs
     * (InitDatabasesScriptTest runs it for real) with every role's password from that role's Secret.
     */
    @ParameterizedTest
    @MethodSource("kustomizations")
    void eachServiceConnectsWithItsOwnDatabaseRole(String kustomization) {
        List<JsonNode> manifests = render(kustomization);
        Map<String, String> roles = Map.of("order-service", "order_service", "payment-service", "payment_service",
                "inventory-service", "inventory_service", "saga-orchestrator", "saga_orchestrator", "payment-gateway", "payment_gateway");
        roles.forEach((service, role) -> {
            Map<String, String> environment = environment(manifests, deployment(manifests, service));
            assertThat(environment).as(service).containsEntry("DB_USER", role).containsKey("DB_PASSWORD")
                    .doesNotContainKeys("RELAY_DB_USER", "POSTGRES_PASSWORD");
            assertThat(secretsReadBy(deployment(manifests, service)).stream().filter(secret -> secret.endsWith("-db") || secret.startsWith("postgres")))
                    .as(service + " reads its own database Secret only").containsExactly(service + "-db");
        });
        Map<String, String> relay = environment(manifests, deployment(manifests, "outbox-relay"));
        assertThat(relay).containsEntry("RELAY_DB_USER", "outbox_relay").containsKey("RELAY_DB_PASSWORD")
                .doesNotContainKeys("DB_USER", "DB_PASSWORD", "POSTGRES_PASSWORD");
        for (JsonNode manifest : manifests) {
            if (manifest.path("kind").asText().equals("Deployment")) {
                assertThat(secretsReadBy(manifest)).as(manifest.path("metadata").path("name").asText()).doesNotContain("postgres-superuser");
                environment(manifests, manifest).forEach((name, value) -> assertThat(name.endsWith("USER") && value.equals("postgres"))
                        .as(manifest.path("metadata").path("name").asText() + ": " + name + " is the superuser").isFalse());
            }
        }

        if (kustomization.equals("overlays/production")) {
            // CloudNativePG sets each role's password from the very Secret its service reads it from: one password per role.
            Map<String, String> passwordSecrets = CloudNativePgTest.passwordSecrets(CloudNativePgTest.cluster(manifests));
            roles.forEach((service, role) -> assertThat(passwordSecrets.get(role)).as(role)
                    .isEqualTo(CloudNativePgTest.secretOf(deployment(manifests, service), "DB_PASSWORD")));
            assertThat(passwordSecrets.get("outbox_relay")).isEqualTo(CloudNativePgTest.secretOf(deployment(manifests, "outbox-relay"), "RELAY_DB_PASSWORD"));
            return;
        }
        JsonNode postgres = manifests.stream().filter(m -> m.path("kind").asText().equals("StatefulSet")
                && m.path("metadata").path("name").asText().equals("postgres")).findFirst().orElseThrow();
        Map<String, String> postgresEnvironment = environment(manifests, postgres);
        roles.forEach((service, role) -> assertThat(postgresEnvironment.get(role.toUpperCase(java.util.Locale.ROOT) + "_DB_PASSWORD"))
                .as(role).isEqualTo(environment(manifests, deployment(manifests, service)).get("DB_PASSWORD")));
        assertThat(postgresEnvironment.get("OUTBOX_RELAY_DB_PASSWORD")).isEqualTo(relay.get("RELAY_DB_PASSWORD"));
        assertThat(postgresEnvironment).containsEntry("POSTGRES_USER", "postgres").containsKey("POSTGRES_PASSWORD");
        JsonNode init = manifests.stream().filter(m -> m.path("kind").asText().equals("ConfigMap")
                && m.path("metadata").path("name").asText().equals("postgres-init")).findFirst().orElseThrow();
        assertThat(init.path("data").path("10-databases.sql").asText())
                .isEqualTo(Repository.read(Repository.root().resolve("docker/postgres/init-databases.sql")));
    }

    /** The names of the Secrets a workload's first container reads, whole or by key. */
    private static List<String> secretsReadBy(JsonNode workload) {
        JsonNode container = workload.path("spec").path("template").path("spec").path("containers").get(0);
        List<String> secrets = new ArrayList<>();
        container.path("envFrom").forEach(from -> {
            if (from.has("secretRef")) {
                secrets.add(from.path("secretRef").path("name").asText());
            }
        });
        container.path("env").forEach(variable -> {
            if (variable.path("valueFrom").has("secretKeyRef")) {
                secrets.add(variable.path("valueFrom").path("secretKeyRef").path("name").asText());
            }
        });
        return secrets.stream().distinct().toList();
    }

    /** The environment a workload's first container gets, values looked up in the rendered ConfigMaps and Secrets. */
    private static Map<String, String> environment(List<JsonNode> manifests, JsonNode workload) {
        JsonNode container = workload.path("spec").path("template").path("spec").path("containers").get(0);
        Map<String, String> environment = new java.util.LinkedHashMap<>();
        container.path("envFrom").forEach(from -> {
            String kind = from.has("secretRef") ? "Secret" : "ConfigMap";
            String name = from.path(from.has("secretRef") ? "secretRef" : "configMapRef").path("name").asText();
            data(manifests, kind, name).fields().forEachRemaining(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
        });
        container.path("env").forEach(variable -> {
            JsonNode key = variable.path("valueFrom").path("secretKeyRef");
            environment.put(variable.path("name").asText(), key.isMissingNode() ? variable.path("value").asText()
                    : data(manifests, "Secret", key.path("name").asText()).path(key.path("key").asText()).asText());
        });
        return environment;
    }

    /** A ConfigMap's or Secret's data; a KafkaUser's Secret, which Strimzi creates, reads as {@code <strimzi:name/key>}. */
    private static JsonNode data(List<JsonNode> manifests, String kind, String name) {
        java.util.Optional<JsonNode> manifest = manifests.stream().filter(m -> m.path("kind").asText().equals(kind)
                && m.path("metadata").path("name").asText().equals(name)).findFirst();
        if (manifest.isEmpty() && kind.equals("Secret") && placeholderSecrets().containsKey(name)
                && manifests.stream().noneMatch(m -> m.path("kind").asText().equals("Secret"))) {
            // Production: the cluster supplies this Secret with the keys of the base's placeholder; its values stand in.
            JsonNode placeholder = placeholderSecrets().get(name);
            return placeholder.has("stringData") ? placeholder.path("stringData") : placeholder.path("data");
        }
        if (manifest.isEmpty() && kind.equals("Secret") && manifests.stream().anyMatch(m -> m.path("kind").asText().equals("KafkaUser")
                && m.path("metadata").path("name").asText().equals(name))) {
            ObjectNode generated = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            for (String key : List.of("password", "sasl.jaas.config")) {
                generated.put(key, "<strimzi:" + name + "/" + key + ">");
            }
            return generated;
        }
        JsonNode found = manifest.orElseThrow(() -> new AssertionError("no " + kind + " " + name));
        return found.has("stringData") ? found.path("stringData") : found.path("data");
    }

    /** Production authenticates every Kafka client (SCRAM-SHA-512) and authorizes it by ACL; base and dev do neither. */
    @ParameterizedTest
    @MethodSource("kustomizations")
    void onlyProductionAuthenticatesAndAuthorizesKafkaClients(String kustomization) {
        List<JsonNode> manifests = render(kustomization);
        JsonNode kafka = manifests.stream().filter(m -> m.path("kind").asText().equals("Kafka")).findFirst().orElseThrow().path("spec").path("kafka");
        boolean production = kustomization.equals("overlays/production");
        assertThat(kafka.path("listeners")).allSatisfy(listener -> assertThat(listener.path("authentication").path("type").asText())
                .isEqualTo(production ? "scram-sha-512" : ""));
        assertThat(kafka.path("authorization").path("type").asText()).isEqualTo(production ? "simple" : "");
        assertThat(manifests.stream().filter(m -> m.path("kind").asText().equals("KafkaUser")).map(m -> m.path("metadata").path("name").asText()))
                .containsExactlyInAnyOrderElementsOf(production ? KafkaAccess.CLIENTS : List.of());
    }

    /** Every Kafka client in production authenticates with its own KafkaUser's Secret; the gateway has no Kafka client. */
    @Test
    void everyProductionKafkaClientReadsItsOwnKafkaUsersSecret() {
        List<JsonNode> manifests = render("overlays/production");
        for (String service : SERVICES) {
            Map<String, String> environment = environment(manifests, deployment(manifests, service));
            JsonNode jaas = java.util.stream.StreamSupport.stream(deployment(manifests, service).path("spec").path("template").path("spec")
                    .path("containers").get(0).path("env").spliterator(), false)
                    .filter(variable -> variable.path("name").asText().equals("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")).findFirst()
                    .map(variable -> variable.path("valueFrom").path("secretKeyRef")).orElse(null);
            if (!KafkaAccess.CLIENTS.contains(service)) {
                assertThat(jaas).as(service).isNull();
                continue;
            }
            assertThat(environment).as(service).containsEntry("SPRING_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                    .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512");
            assertThat(jaas).as(service).isNotNull();
            assertThat(jaas.path("name").asText()).as(service).isEqualTo(service);
            assertThat(jaas.path("key").asText()).isEqualTo("sasl.jaas.config");
            JsonNode user = manifests.stream().filter(m -> m.path("kind").asText().equals("KafkaUser")
                    && m.path("metadata").path("name").asText().equals(service)).findFirst().orElseThrow();
            assertThat(user.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
            assertThat(user.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("saga");
        }
    }

    /**
     * The KafkaUsers grant exactly what the code needs (KafkaAccess: the subscriptions in the services' sources, the
     * message catalog's topics): the relay alone writes the saga topics, a consumer reads its topics under its group and
     * writes their dead-letter topics. So a StockReserved forged with another service's credentials is refused.
     */
    @Test
    void kafkaAclsMatchTheTopicOwnership() {
        Map<String, java.util.Set<String>> granted = KafkaAccess.granted(render("overlays/production"));
        assertThat(granted).isEqualTo(KafkaAccess.needed());
        String stockReserved = dev.sagaplatform.contracts.MessageCatalog.of(dev.sagaplatform.contracts.inventory.StockReserved.class).topic();
        for (String topic : dev.sagaplatform.contracts.Topics.ALL) {
            assertThat(granted.entrySet().stream().filter(user -> user.getValue().contains("topic:" + topic + ":Write")).map(Map.Entry::getKey))
                    .as("who may write " + topic).containsExactly(KafkaAccess.RELAY);
        }
        assertThat(granted.get("order-service")).contains("topic:" + stockReserved + ":Read").doesNotContain("topic:" + stockReserved + ":Write");
        assertThat(granted.get("payment-service")).doesNotContain("topic:" + stockReserved + ":Write");
    }

    @Test
    void declaresEveryTopicOfTheContractsAndItsDeadLetterTopic() {
        List<String> declared = render("base").stream().filter(m -> m.path("kind").asText().equals("KafkaTopic"))
                .map(m -> m.path("spec").path("topicName").asText()).toList();
        for (String topic : dev.sagaplatform.contracts.Topics.ALL) {
            assertThat(declared).contains(topic, dev.sagaplatform.contracts.Topics.deadLetter(topic));
        }
    }

    private static JsonNode deployment(List<JsonNode> manifests, String name) {
        return manifests.stream().filter(m -> m.path("kind").asText().equals("Deployment")
                && m.path("metadata").path("name").asText().equals(name)).findFirst().orElseThrow();
    }

    /** The NetworkPolicies let in exactly the paths the platform uses: evaluated as the API server would, on the rendered manifests. */
    @ParameterizedTest
    @MethodSource("kustomizations")
    void networkPoliciesLetOnlyTheCallersThePlatformNeedsIn(String kustomization) {
        List<JsonNode> policies = render(kustomization).stream().filter(m -> m.path("kind").asText().equals("NetworkPolicy")).toList();
        assertThat(policies).anyMatch(p -> p.path("spec").path("podSelector").isEmpty() && p.path("spec").path("ingress").isMissingNode());
        Map<String, String> monitoring = Map.of("kubernetes.io/metadata.name", "monitoring");
        Map<String, String> elsewhere = Map.of("kubernetes.io/metadata.name", "default");
        assertThat(allowed(policies, "payment-gateway", 8086, "payment-service", null)).isTrue();
        assertThat(allowed(policies, "payment-gateway", 8086, "order-service", null)).isFalse();
        assertThat(allowed(policies, "payment-gateway", 8086, null, monitoring)).isTrue();
        assertThat(allowed(policies, "payment-gateway", 8086, null, elsewhere)).isFalse();
        // PostgreSQL's pods: the base's StatefulSet, or in production the CloudNativePG cluster's instances.
        Map<String, String> postgres = kustomization.equals("overlays/production") ? Map.of("cnpg.io/cluster", "saga-postgres")
                : Map.of("app.kubernetes.io/name", "postgres");
        assertThat(allowed(policies, postgres, 5432, "payment-gateway", null)).isTrue();
        assertThat(allowed(policies, postgres, 5432, "some-other-pod", null)).isFalse();
        assertThat(allowed(policies, postgres, 5432, null, elsewhere)).isFalse();
        assertThat(allowed(policies, "payment-service", 8082, "order-service", null)).isTrue();
        assertThat(allowed(policies, "payment-service", 8082, "inventory-service", null)).isFalse();
        assertThat(allowed(policies, "saga-orchestrator", 8084, "order-service", null)).isFalse();
        assertThat(allowed(policies, "order-service", 8081, null, elsewhere)).isTrue();
        assertThat(allowed(policies, "saga-orchestrator", 8084, "saga-console", null)).as("the console's retry").isTrue();
        assertThat(allowed(policies, "payment-service", 8082, "saga-console", null)).as("the console's replay").isTrue();
        assertThat(allowed(policies, postgres, 5432, "saga-console", null)).isTrue();
        assertThat(allowed(policies, postgres, 5432, "outbox-relay", null)).isTrue();
        assertThat(allowed(policies, "saga-console", 8087, null, elsewhere)).isFalse();
        for (String service : SERVICES) {
            int port = switch (service) {
                case "order-service" -> 8081;
                case "payment-service" -> 8082;
                case "inventory-service" -> 8083;
                case "saga-orchestrator" -> 8084;
                case "outbox-relay" -> 8085;
                case "saga-console" -> 8087;
                default -> 8086;
            };
            assertThat(allowed(policies, service, port, null, monitoring)).as("Prometheus scrapes " + service).isTrue();
        }
    }

    /**
     * Whether a pod named {@code target} in the platform's namespace admits TCP on {@code port} from a pod named
     * {@code sourcePod} in the same namespace, or (sourcePod null) from any pod of a namespace labelled {@code sourceNamespace}.
     */
    private static boolean allowed(List<JsonNode> policies, String target, int port, String sourcePod, Map<String, String> sourceNamespace) {
        return allowed(policies, Map.of("app.kubernetes.io/name", target), port, sourcePod, sourceNamespace);
    }

    /** As above, for the pods labelled {@code targetLabels}. */
    static boolean allowed(List<JsonNode> policies, Map<String, String> targetLabels, int port, String sourcePod, Map<String, String> sourceNamespace) {
        return allowedFrom(policies, targetLabels, port, sourcePod == null ? null : Map.of("app.kubernetes.io/name", sourcePod), sourceNamespace);
    }

    /** As above, from a pod in the platform's namespace labelled {@code sourceLabels} (null: from {@code sourceNamespace}). */
    static boolean allowedFrom(List<JsonNode> policies, Map<String, String> targetLabels, int port, Map<String, String> sourceLabels,
            Map<String, String> sourceNamespace) {
        boolean fromPod = sourceLabels != null;
        for (JsonNode policy : policies) {
            if (!selects(policy.path("spec").path("podSelector"), targetLabels)) {
                continue;
            }
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                boolean portOk = rule.path("ports").isMissingNode()
                        || java.util.stream.StreamSupport.stream(rule.path("ports").spliterator(), false).anyMatch(p -> p.path("port").asInt() == port);
                boolean fromOk = rule.path("from").isMissingNode()
                        || java.util.stream.StreamSupport.stream(rule.path("from").spliterator(), false).anyMatch(peer -> fromPod
                        ? peer.has("podSelector") && !peer.has("namespaceSelector") && selects(peer.path("podSelector"), sourceLabels)
                        : peer.has("namespaceSelector") && selects(peer.path("namespaceSelector"), sourceNamespace));
                if (portOk && fromOk) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean selects(JsonNode selector, Map<String, String> labels) {
        boolean[] matches = {true};
        selector.path("matchLabels").fields().forEachRemaining(e -> matches[0] &= e.getValue().asText().equals(labels.get(e.getKey())));
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = labels.get(expression.path("key").asText());
            List<String> values = java.util.stream.StreamSupport.stream(expression.path("values").spliterator(), false).map(JsonNode::asText).toList();
            matches[0] &= switch (expression.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                default -> value == null;
            };
        }
        return matches[0];
    }
}
