package dev.sagaplatform.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What this project's rendered Kubernetes manifests must be, beyond being valid API objects: probes
 * on the actuator's liveness and readiness groups, resource requests and limits, a restricted
 * security context, a PodDisruptionBudget per Deployment, references that resolve, pinned images,
 * and the relay with a standby (its instances elect one publisher per source).
 */
final class ManifestPolicy {

    private ManifestPolicy() {
    }

    static List<String> violations(List<JsonNode> manifests) {
        return violations(manifests, Set.of());
    }

    /**
     * @param suppliedSecrets Secrets the cluster supplies (its secret store), which the manifests refer to but do not
     *                        define: the production overlay applies none of the base's placeholders
     */
    static List<String> violations(List<JsonNode> manifests, Set<String> suppliedSecrets) {
        List<String> problems = new ArrayList<>();
        Set<String> configMaps = new HashSet<>();
        Set<String> secrets = new HashSet<>(suppliedSecrets);
        for (JsonNode manifest : manifests) {
            String apiVersion = manifest.path("apiVersion").asText();
            if (apiVersion.startsWith("extensions/") || apiVersion.endsWith("beta1") && !apiVersion.startsWith("kafka.strimzi.io")) {
                problems.add(name(manifest) + ": deprecated apiVersion " + apiVersion);
            }
            switch (manifest.path("kind").asText()) {
                case "ConfigMap" -> configMaps.add(manifest.path("metadata").path("name").asText());
                case "Secret" -> secrets.add(manifest.path("metadata").path("name").asText());
                // Strimzi's user operator creates a Secret of the KafkaUser's name (password, sasl.jaas.config).
                case "KafkaUser" -> secrets.add(manifest.path("metadata").path("name").asText());
                default -> {
                }
            }
        }
        List<JsonNode> budgets = manifests.stream().filter(m -> m.path("kind").asText().equals("PodDisruptionBudget")).toList();
        for (JsonNode manifest : manifests) {
            // A CloudNativePG cluster reads Secrets too (the application owner's, each managed role's password): they must exist.
            if (manifest.path("apiVersion").asText().startsWith("postgresql.cnpg.io/") && manifest.path("kind").asText().equals("Cluster")) {
                for (String secret : CloudNativePgTest.secretsReadBy(manifest)) {
                    reference(name(manifest), "Secret", new com.fasterxml.jackson.databind.node.TextNode(secret), secrets, problems);
                }
            }
        }
        for (JsonNode manifest : manifests) {
            String kind = manifest.path("kind").asText();
            if (!kind.equals("Deployment") && !kind.equals("StatefulSet")) {
                continue;
            }
            String name = name(manifest);
            JsonNode pod = manifest.path("spec").path("template");
            JsonNode podSpec = pod.path("spec");
            boolean podNonRoot = podSpec.path("securityContext").path("runAsNonRoot").asBoolean(false);
            for (JsonNode container : podSpec.path("containers")) {
                String where = name + "/" + container.path("name").asText();
                checkContainer(where, container, podNonRoot, kind.equals("Deployment"), problems);
                for (JsonNode from : container.path("envFrom")) {
                    reference(where, "ConfigMap", from.path("configMapRef").path("name"), configMaps, problems);
                    reference(where, "Secret", from.path("secretRef").path("name"), secrets, problems);
                }
                for (JsonNode variable : container.path("env")) {
                    reference(where, "ConfigMap", variable.path("valueFrom").path("configMapKeyRef").path("name"), configMaps, problems);
                    reference(where, "Secret", variable.path("valueFrom").path("secretKeyRef").path("name"), secrets, problems);
                }
            }
            for (JsonNode init : podSpec.path("initContainers")) {
                checkResourcesAndSecurity(name + "/" + init.path("name").asText(), init, podNonRoot, problems);
            }
            if (kind.equals("Deployment")) {
                checkWaitsForDependencies(name, manifest.path("metadata").path("name").asText(), podSpec, problems);
            }
            if (kind.equals("Deployment")) {
                Map<String, String> labels = labels(pod.path("metadata").path("labels"));
                long matching = budgets.stream().filter(budget -> labels.entrySet()
                        .containsAll(labels(budget.path("spec").path("selector").path("matchLabels")).entrySet())).count();
                if (matching != 1) {
                    problems.add(name + ": " + matching + " PodDisruptionBudgets select its pods (want exactly 1)");
                }
            }
            if (manifest.path("metadata").path("name").asText().equals("outbox-relay")) {
                if (manifest.path("spec").path("replicas").asInt(1) < 2) {
                    problems.add(name + ": the relay needs a standby (replicas 2 or more; the election keeps one publisher per source)");
                }
                JsonNode strategy = manifest.path("spec").path("strategy");
                if (!strategy.path("type").asText("RollingUpdate").equals("RollingUpdate")
                        || !strategy.path("rollingUpdate").path("maxUnavailable").asText().equals("0")) {
                    problems.add(name + ": the relay needs a RollingUpdate with maxUnavailable 0 (an update must never stop every instance)");
                }
            }
        }
        return problems;
    }

    /**
     * A service must not crash-loop while PostgreSQL or Kafka's bootstrap Service is not there yet (a fresh apply):
     * an init container of its own image waits until the database, and for a Kafka client the bootstrap Service,
     * accept connections.
     */
    private static void checkWaitsForDependencies(String name, String service, JsonNode podSpec, List<String> problems) {
        JsonNode main = podSpec.path("containers").path(0);
        JsonNode wait = null;
        for (JsonNode init : podSpec.path("initContainers")) {
            if (init.path("name").asText().equals("wait-for-dependencies")) {
                wait = init;
            }
        }
        if (wait == null) {
            problems.add(name + ": no init container wait-for-dependencies (it crash-loops while PostgreSQL or Kafka is not there yet)");
            return;
        }
        if (!wait.path("image").asText().equals(main.path("image").asText())) {
            problems.add(name + ": wait-for-dependencies runs " + wait.path("image").asText() + ", not the service's image");
        }
        String script = wait.path("command").toString() + wait.path("args").toString();
        boolean readsConfig = false;
        for (JsonNode from : wait.path("envFrom")) {
            readsConfig |= from.path("configMapRef").path("name").asText().equals("platform-config");
        }
        if (!readsConfig) {
            problems.add(name + ": wait-for-dependencies does not read platform-config (DB_HOST, KAFKA_BOOTSTRAP_SERVERS)");
        }
        if (!script.contains("$DB_HOST:$DB_PORT") || !script.contains("/dev/tcp/")) {
            problems.add(name + ": wait-for-dependencies does not wait for the database ($DB_HOST:$DB_PORT)");
        }
        boolean kafkaClient = KafkaAccess.CLIENTS.contains(service);
        if (kafkaClient != script.contains("KAFKA_BOOTSTRAP_SERVERS")) {
            problems.add(name + (kafkaClient ? ": wait-for-dependencies does not wait for Kafka's bootstrap Service"
                    : ": wait-for-dependencies waits for Kafka, which it does not use"));
        }
    }

    /** What every container, init or main, must have: bounded resources, non-root, read-only root, no escalation. */
    private static void checkResourcesAndSecurity(String where, JsonNode container, boolean podNonRoot, List<String> problems) {
        for (String bound : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                if (container.path("resources").path(bound).path(resource).isMissingNode()) {
                    problems.add(where + ": no resources." + bound + "." + resource);
                }
            }
        }
        JsonNode security = container.path("securityContext");
        if (!podNonRoot && !security.path("runAsNonRoot").asBoolean(false)) {
            problems.add(where + ": not runAsNonRoot");
        }
        if (!security.path("readOnlyRootFilesystem").asBoolean(false)) {
            problems.add(where + ": root file system not read-only");
        }
        if (security.path("allowPrivilegeEscalation").asBoolean(true)) {
            problems.add(where + ": allowPrivilegeEscalation not false");
        }
    }

    private static void checkContainer(String where, JsonNode container, boolean podNonRoot, boolean actuator, List<String> problems) {
        String image = container.path("image").asText();
        if (!image.contains(":") || image.endsWith(":latest")) {
            problems.add(where + ": image " + image + " has no pinned tag");
        }
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
            if (container.path(probe).isMissingNode()) {
                problems.add(where + ": no " + probe);
            }
        }
        if (actuator) {
            String liveness = container.path("livenessProbe").path("httpGet").path("path").asText();
            String readiness = container.path("readinessProbe").path("httpGet").path("path").asText();
            if (!liveness.equals("/actuator/health/liveness")) {
                problems.add(where + ": livenessProbe on '" + liveness + "', not the liveness group /actuator/health/liveness");
            }
            if (!readiness.equals("/actuator/health/readiness")) {
                problems.add(where + ": readinessProbe on '" + readiness + "', not the readiness group /actuator/health/readiness");
            }
        }
        checkResourcesAndSecurity(where, container, podNonRoot, problems);
    }

    private static void reference(String where, String kind, JsonNode name, Set<String> known, List<String> problems) {
        if (!name.isMissingNode() && !known.contains(name.asText())) {
            problems.add(where + ": refers to " + kind + " " + name.asText() + ", which the manifests do not define");
        }
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new java.util.HashMap<>();
        node.properties().forEach(entry -> labels.put(entry.getKey(), entry.getValue().asText()));
        return labels;
    }

    private static String name(JsonNode manifest) {
        return manifest.path("kind").asText() + " " + manifest.path("metadata").path("name").asText();
    }
}
