package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The production overlay's PostgreSQL: a CloudNativePG cluster that fails over to a standby and keeps the relay's
 * logical replication slots across the fail-over, reached by every service and every relay source through its
 * read-write Service, with the roles and databases of the init script the base runs. The Cluster is valid against the
 * CRD of the operator version k8s/README.md installs (vendored in src/test/resources/cloudnative-pg). The dev overlay
 * keeps the plain PostgreSQL.
 */
class CloudNativePgTest {

    private static final Path K8S = Repository.root().resolve("k8s");
    private static final String CLUSTER = "saga-postgres";
    private static final String OPERATOR_NAMESPACE = "cnpg-system";
    private static final CustomResourceSchema SCHEMA = KubernetesModel.CUSTOM_RESOURCES.get("postgresql.cnpg.io/v1/Cluster");

    private static List<JsonNode> render(String overlay) {
        Assumptions.assumeTrue(Kustomize.available(), "kubectl (with its built-in kustomize) is not on PATH");
        return Kustomize.render(K8S.resolve(overlay));
    }

    /** The one CloudNativePG Cluster of the manifests. */
    static JsonNode cluster(List<JsonNode> manifests) {
        List<JsonNode> clusters = manifests.stream().filter(m -> m.path("apiVersion").asText().startsWith("postgresql.cnpg.io/")
                && m.path("kind").asText().equals("Cluster")).toList();
        assertThat(clusters).as("CloudNativePG Clusters").hasSize(1);
        return clusters.get(0);
    }

    /** The Secrets a Cluster reads: the application owner's (bootstrap), each managed role's password, the superuser's. */
    static List<String> secretsReadBy(JsonNode cluster) {
        List<String> secrets = new ArrayList<>();
        JsonNode spec = cluster.path("spec");
        for (JsonNode name : List.of(spec.path("bootstrap").path("initdb").path("secret").path("name"), spec.path("superuserSecret").path("name"))) {
            if (!name.isMissingNode()) {
                secrets.add(name.asText());
            }
        }
        secrets.addAll(passwordSecrets(cluster).values());
        return secrets.stream().distinct().toList();
    }

    /** Managed role → the Secret CloudNativePG sets its password from. */
    static Map<String, String> passwordSecrets(JsonNode cluster) {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (JsonNode role : cluster.path("spec").path("managed").path("roles")) {
            if (role.has("passwordSecret")) {
                secrets.put(role.path("name").asText(), role.path("passwordSecret").path("name").asText());
            }
        }
        return secrets;
    }

    /** The Secret a workload's first container reads {@code variable} from (secretKeyRef), or null. */
    static String secretOf(JsonNode workload, String variable) {
        for (JsonNode env : workload.path("spec").path("template").path("spec").path("containers").path(0).path("env")) {
            if (env.path("name").asText().equals(variable) && env.path("valueFrom").has("secretKeyRef")) {
                return env.path("valueFrom").path("secretKeyRef").path("name").asText();
            }
        }
        return null;
    }

    private static JsonNode relayOf(List<JsonNode> manifests) {
        return manifests.stream().filter(m -> m.path("kind").asText().equals("Deployment")
                && m.path("metadata").path("name").asText().equals("outbox-relay")).findFirst().orElseThrow();
    }

    /** A plain {@code value} of the workload's first container's environment, or null. */
    private static String plainEnv(JsonNode workload, String variable) {
        for (JsonNode env : workload.path("spec").path("template").path("spec").path("containers").path(0).path("env")) {
            if (env.path("name").asText().equals(variable) && env.has("value")) {
                return env.path("value").asText();
            }
        }
        return null;
    }

    private static String configValue(List<JsonNode> manifests, String key) {
        return manifests.stream().filter(m -> m.path("kind").asText().equals("ConfigMap") && m.path("metadata").path("name").asText().equals("platform-config"))
                .findFirst().orElseThrow().path("data").path(key).asText();
    }

    @Test
    void productionRunsPostgresOnlyAsACloudNativePgClusterThatFailsOverAndKeepsTheRelaysSlots() {
        List<JsonNode> manifests = render("overlays/production");
        // No plain PostgreSQL beside the cluster: no workload running a postgres image, no Service postgres.
        for (JsonNode manifest : manifests) {
            if (List.of("Deployment", "StatefulSet").contains(manifest.path("kind").asText())) {
                for (JsonNode container : manifest.path("spec").path("template").path("spec").path("containers")) {
                    assertThat(container.path("image").asText()).as(manifest.path("metadata").path("name").asText()).doesNotContain("postgres");
                }
                assertThat(manifest.path("kind").asText()).as("production runs no StatefulSet of its own").isEqualTo("Deployment");
            }
            assertThat(manifest.path("kind").asText() + "/" + manifest.path("metadata").path("name").asText())
                    .isNotIn("Service/postgres", "ConfigMap/postgres-init");
        }
        JsonNode cluster = cluster(manifests);
        JsonNode spec = cluster.path("spec");
        assertThat(cluster.path("metadata").path("name").asText()).isEqualTo(CLUSTER);
        assertThat(spec.path("instances").asInt()).as("a primary and at least two standbys to fail over to").isGreaterThanOrEqualTo(3);
        Matcher major = Pattern.compile(":(\\d+)\\.").matcher(spec.path("imageName").asText());
        assertThat(major.find()).as("a pinned PostgreSQL image: " + spec.path("imageName").asText()).isTrue();
        assertThat(Integer.parseInt(major.group(1))).as("failover slots (sync_replication_slots) need PostgreSQL 17").isGreaterThanOrEqualTo(17);

        JsonNode parameters = spec.path("postgresql").path("parameters");
        assertThat(parameters.path("wal_level").asText()).as("the relay's CDC").isEqualTo("logical");
        // PostgreSQL 17 copies failover slots to the standbys only with these two on.
        assertThat(parameters.path("sync_replication_slots").asText()).isEqualTo("on");
        assertThat(parameters.path("hot_standby_feedback").asText()).isEqualTo("on");
        JsonNode highAvailability = spec.path("replicationSlots").path("highAvailability");
        assertThat(highAvailability.path("enabled").asBoolean(true)).as("the standbys stream through HA slots").isTrue();
        assertThat(highAvailability.path("synchronizeLogicalDecoding").asBoolean(false))
                .as("the operator keeps logical slots behind the standbys (synchronized_standby_slots)").isTrue();
        // PostgreSQL synchronizes only slots created with FAILOVER true: the relay must create them so (relay.slot-failover).
        assertThat(plainEnv(relayOf(manifests), "RELAY_SLOT_FAILOVER")).as("the production relay's slots are failover slots").isEqualTo("true");
        assertThat(plainEnv(relayOf(render("overlays/dev")), "RELAY_SLOT_FAILOVER")).as("dev's plain PostgreSQL syncs no slots").isNull();
        // The relay's health threshold (512 MB of retained WAL) is set against the base's 1 GB cap; the cluster keeps it.
        JsonNode statefulSet = render("base").stream().filter(m -> m.path("kind").asText().equals("StatefulSet")).findFirst().orElseThrow();
        assertThat(statefulSet.path("spec").path("template").toString()).contains("max_slot_wal_keep_size=" + parameters.path("max_slot_wal_keep_size").asText());
    }

    /**
     * Every service's datasource and every relay source take their host from DB_HOST (application.yml), which the
     * platform-config ConfigMap sets to the cluster's read-write Service, and no Deployment overrides.
     */
    @Test
    void everyServiceAndEveryRelaySourceConnectsToTheReadWriteService() {
        List<JsonNode> manifests = render("overlays/production");
        assertThat(configValue(manifests, "DB_HOST")).isEqualTo(cluster(manifests).path("metadata").path("name").asText() + "-rw");
        assertThat(configValue(manifests, "DB_PORT")).isEqualTo("5432");
        for (JsonNode manifest : manifests) {
            if (!manifest.path("kind").asText().equals("Deployment")) {
                continue;
            }
            String name = manifest.path("metadata").path("name").asText();
            JsonNode podSpec = manifest.path("spec").path("template").path("spec");
            List<JsonNode> containers = new ArrayList<>();
            podSpec.path("containers").forEach(containers::add);
            podSpec.path("initContainers").forEach(containers::add);
            for (JsonNode container : containers) {
                assertThat(container.path("env").findValuesAsText("name")).as(name + " sets its own DB_HOST").doesNotContain("DB_HOST", "DB_PORT");
            }
            assertThat(podSpec.path("containers").path(0).path("envFrom").findValuesAsText("name")).as(name + " reads platform-config").contains("platform-config");
        }
        for (String service : List.of("order-service", "payment-service", "inventory-service", "saga-orchestrator", "payment-gateway", "saga-console")) {
            Map<String, Object> yml = Repository.yamlDocuments(Repository.read(Repository.root().resolve(service).resolve("src/main/resources/application.yml"))).get(0);
            assertThat(String.valueOf(path(yml, "spring", "datasource", "url"))).as(service + "'s datasource").contains("//${DB_HOST:", ":${DB_PORT:");
        }
        Map<String, Object> relay = Repository.yamlDocuments(Repository.read(Repository.root().resolve("outbox-relay/src/main/resources/application.yml"))).get(0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sources = (List<Map<String, Object>>) path(relay, "relay", "sources");
        assertThat(sources).isNotEmpty().allSatisfy(source -> {
            assertThat(String.valueOf(source.get("host"))).as("relay source " + source.get("name")).startsWith("${DB_HOST:");
            assertThat(String.valueOf(source.get("port"))).as("relay source " + source.get("name")).startsWith("${DB_PORT:");
        });
    }

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> yaml, String... keys) {
        Object node = yaml;
        for (String key : keys) {
            node = node instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(key) : null;
        }
        return node;
    }

    /**
     * The cluster creates what docker/postgres/init-databases.sql creates (the base runs it; InitDatabasesScriptTest runs
     * it for real): the same roles with the same attributes, the same databases and owners, the same revokes and
     * grants. Only the passwords come another way, from each role's Secret, the one its service reads.
     */
    @Test
    void theClusterCreatesTheInitScriptsRolesAndDatabases() {
        JsonNode spec = cluster(render("overlays/production")).path("spec");
        List<String> script = new ArrayList<>();
        Map<String, Boolean> replication = new LinkedHashMap<>();
        Pattern createRole = Pattern.compile("CREATE ROLE (\\w+) (.*)");
        for (String line : Repository.read(Repository.root().resolve("docker/postgres/init-databases.sql")).lines().toList()) {
            if (line.matches("(CREATE|REVOKE|GRANT) .*;")) {
                String statement = line.replaceAll(" PASSWORD :'\\w+'", "").replaceAll(";$", "");
                script.add(statement);
                Matcher role = createRole.matcher(statement);
                if (role.matches()) {
                    replication.put(role.group(1), List.of(role.group(2).split(" ")).contains("REPLICATION"));
                }
            }
        }
        assertThat(replication).containsEntry("outbox_relay", true).hasSize(7);

        JsonNode initdb = spec.path("bootstrap").path("initdb");
        String owner = initdb.path("owner").asText();
        assertThat(initdb.path("database").asText()).isEqualTo(owner);
        assertThat(script).as("the application database is one of the script's, owned by its role").contains("CREATE DATABASE " + owner + " OWNER " + owner);
        // CloudNativePG creates the application owner (CREATE ROLE ... LOGIN) before postInitSQL; everything else is the script's.
        List<String> expected = script.stream().filter(statement -> !statement.startsWith("CREATE ROLE " + owner + " ")).toList();
        List<String> postInit = new ArrayList<>();
        initdb.path("postInitSQL").forEach(statement -> postInit.add(statement.asText()));
        assertThat(postInit).isEqualTo(expected);

        Map<String, String> passwordSecrets = passwordSecrets(cluster(render("overlays/production")));
        assertThat(initdb.path("secret").path("name").asText()).as("the owner's password, the same Secret as its managed role's")
                .isEqualTo(passwordSecrets.get(owner));
        assertThat(passwordSecrets.keySet()).as("every role has its password from a Secret").containsExactlyInAnyOrderElementsOf(replication.keySet());
        for (JsonNode role : spec.path("managed").path("roles")) {
            String name = role.path("name").asText();
            assertThat(role.path("ensure").asText("present")).as(name).isEqualTo("present");
            assertThat(role.path("login").asBoolean(false)).as(name + " logs in").isTrue();
            for (String attribute : List.of("superuser", "createdb", "createrole", "bypassrls")) {
                assertThat(role.path(attribute).asBoolean(false)).as(name + " " + attribute).isFalse();
            }
            assertThat(role.path("replication").asBoolean(false)).as(name + " replication, as in the script").isEqualTo(replication.get(name));
            assertThat(role.path("inRoles").isMissingNode() || role.path("inRoles").isEmpty()).as(name + " is a member of no role").isTrue();
        }
        assertThat(spec.path("enableSuperuserAccess").asBoolean(false)).as("no network access as the superuser").isFalse();
    }

    /** Under the base's default deny, the operator must reach the instances' managers and the instances each other. */
    @Test
    void networkPoliciesLetTheOperatorAndTheInstancesInAndNoOneElse() {
        List<JsonNode> policies = render("overlays/production").stream().filter(m -> m.path("kind").asText().equals("NetworkPolicy")).toList();
        Map<String, String> instance = Map.of("cnpg.io/cluster", CLUSTER);
        Map<String, String> operator = Map.of("kubernetes.io/metadata.name", OPERATOR_NAMESPACE);
        Map<String, String> elsewhere = Map.of("kubernetes.io/metadata.name", "default");
        assertThat(KubernetesManifestsTest.allowedFrom(policies, instance, 8000, null, operator)).as("the operator asks the instance manager").isTrue();
        assertThat(KubernetesManifestsTest.allowedFrom(policies, instance, 5432, instance, null)).as("streaming replication").isTrue();
        assertThat(KubernetesManifestsTest.allowedFrom(policies, instance, 8000, instance, null)).isTrue();
        assertThat(KubernetesManifestsTest.allowedFrom(policies, instance, 8000, null, elsewhere)).isFalse();
        assertThat(KubernetesManifestsTest.allowedFrom(policies, instance, 5432, null, operator)).as("the operator needs no SQL access").isFalse();
        assertThat(KubernetesManifestsTest.allowed(policies, instance, 8000, "order-service", null)).isFalse();
        for (String client : List.of("order-service", "payment-service", "inventory-service", "saga-orchestrator", "payment-gateway", "saga-console", "outbox-relay")) {
            assertThat(KubernetesManifestsTest.allowed(policies, instance, 5432, client, null)).as(client).isTrue();
        }
        assertThat(KubernetesManifestsTest.allowed(policies, instance, 5432, "some-other-pod", null)).isFalse();
    }

    /** Valid against the vendored CRD, and the check is strict: a typo, a wrong type or value is refused, as kubectl apply would. */
    @Test
    void theClusterIsValidAgainstTheOperatorsCrdAndAMistakeIsNot() {
        JsonNode cluster = cluster(render("overlays/production"));
        assertThat(SCHEMA.violations(cluster)).isEmpty();

        ObjectNode typo = cluster.deepCopy();
        ObjectNode slots = (ObjectNode) typo.path("spec").path("replicationSlots").path("highAvailability");
        slots.set("synchronizeLogicalDecodin", slots.remove("synchronizeLogicalDecoding"));
        assertThat(SCHEMA.violations(typo)).containsExactly("spec.replicationSlots.highAvailability.synchronizeLogicalDecodin: unknown field");
        // The same check where every rendered manifest is read (KubernetesManifestsTest.everyManifestIsAValidApiObject).
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KubernetesModel.read(typo))
                .hasMessageContaining("synchronizeLogicalDecodin: unknown field");

        ObjectNode wrongType = cluster.deepCopy();
        ((ObjectNode) wrongType.path("spec")).put("instances", "3");
        assertThat(SCHEMA.violations(wrongType)).containsExactly("spec.instances: \"3\" is not of type integer");

        ObjectNode wrongValue = cluster.deepCopy();
        ((ObjectNode) wrongValue.path("spec").path("postgresql").path("synchronous")).put("method", "all");
        assertThat(SCHEMA.violations(wrongValue)).singleElement().asString().startsWith("spec.postgresql.synchronous.method: \"all\" is not one of");

        ObjectNode nameless = cluster.deepCopy();
        ((ObjectNode) nameless.path("spec").path("managed").path("roles").path(0)).remove("name");
        assertThat(SCHEMA.violations(nameless)).containsExactly("spec.managed.roles[0].name: required");

        ObjectNode unserved = cluster.deepCopy();
        unserved.put("apiVersion", "postgresql.cnpg.io/v1beta1");
        assertThat(SCHEMA.violations(unserved)).singleElement().asString().contains("is not served");

        ObjectNode badMetadata = cluster.deepCopy();
        ((ObjectNode) badMetadata.path("metadata")).put("lables", "x");
        assertThat(SCHEMA.violations(badMetadata)).singleElement().asString().contains("Unrecognized field \"lables\"");
    }

    private static String vendoredNotes() {
        try (InputStream in = CloudNativePgTest.class.getResourceAsStream("/cloudnative-pg/README.md")) {
            assertThat(in).as("the vendored CRD's notes").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String group(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(regex).isTrue();
        return matcher.group(1);
    }

    /**
     * k8s/README.md installs the operator whose CRD the Cluster is validated against: the Helm chart version of the
     * vendored copy's notes (and that chart's operator, its appVersion), into cnpg-system, waited for, before the
     * production overlay is applied.
     */
    @Test
    void theReadmeInstallsTheOperatorVersionTheClusterIsValidatedAgainst() {
        String notes = vendoredNotes();
        String operatorVersion = group(notes, "Operator: CloudNativePG (\\d+\\.\\d+\\.\\d+)");
        String chartVersion = group(notes, "Helm chart: cloudnative-pg (\\d+\\.\\d+\\.\\d+)");
        assertThat(notes).contains("tag `v" + operatorVersion + "`", "tag `cloudnative-pg-v" + chartVersion + "`", "appVersion: \"" + operatorVersion + "\"");

        List<String> commands = StrimziInstallTest.installCommands();
        int install = -1;
        for (int i = 0; i < commands.size(); i++) {
            String command = commands.get(i);
            if ((command.startsWith("helm install ") || command.startsWith("helm upgrade ")) && command.contains("cloudnative-pg")) {
                install = i;
            }
        }
        assertThat(install).as("k8s/README.md's Install section installs the CloudNativePG chart: " + commands).isNotNegative();
        String command = commands.get(install);
        assertThat(command).doesNotContain("latest").contains("--version " + chartVersion + " ")
                .contains("--namespace " + OPERATOR_NAMESPACE).contains("--create-namespace");
        if (command.contains(" cnpg/cloudnative-pg")) {
            assertThat(commands.subList(0, install)).as("the chart repository is added first").contains("helm repo add cnpg https://cloudnative-pg.github.io/charts");
        }
        int waits = commands.indexOf("kubectl -n " + OPERATOR_NAMESPACE + " rollout status deployment/cnpg-cloudnative-pg --timeout=300s");
        int production = commands.indexOf("kubectl apply -k k8s/overlays/production");
        assertThat(waits).as("the README waits for the operator (its CRDs, its webhook)").isGreaterThan(install);
        assertThat(production).as("then applies the production overlay").isGreaterThan(waits);
        assertThat(Repository.read(K8S.resolve("README.md"))).contains("CloudNativePG " + operatorVersion, "Chart " + chartVersion);
    }

    /** The dev overlay (and the base) keep the single PostgreSQL StatefulSet, and need no operator for it. */
    @Test
    void theDevOverlayKeepsThePlainPostgres() {
        List<JsonNode> manifests = render("overlays/dev");
        assertThat(manifests).noneMatch(m -> m.path("apiVersion").asText().startsWith("postgresql.cnpg.io/"));
        assertThat(manifests).anyMatch(m -> m.path("kind").asText().equals("StatefulSet") && m.path("metadata").path("name").asText().equals("postgres"));
        assertThat(configValue(manifests, "DB_HOST")).isEqualTo("postgres");
    }
}
