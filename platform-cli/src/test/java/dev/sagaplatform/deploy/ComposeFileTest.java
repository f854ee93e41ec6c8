package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docker-compose.yml, parsed and checked without a Docker engine. */
class ComposeFileTest {

    private static final Path COMPOSE = Repository.root().resolve("docker-compose.yml");

    /** DESIGN.md's public ports: the compose demo answers where the embedded platform does. */
    private static final Map<String, String> HOST_PORTS = Map.of(
            "order-service", "8081", "payment-service", "8082", "inventory-service", "8083", "saga-orchestrator", "8084",
            "outbox-relay", "8085", "payment-gateway", "8086", "kafka", "9092", "postgres", "15432", "zipkin", "9411");

    private static final List<String> DATABASES = List.of("order_service", "payment_service", "inventory_service",
            "saga_orchestrator", "payment_gateway", "saga_console");

    private final ObjectMapper json = new ObjectMapper();

    private Map<String, Object> compose() {
        return Repository.yaml(Repository.read(COMPOSE));
    }

    private JsonNode tree() {
        return json.valueToTree(compose());
    }

    @Test
    void followsThePolicy() {
        assertThat(ComposePolicy.violations(compose())).isEmpty();
    }

    @Test
    void runsEveryServiceKafkaPostgresAndToxiproxy() {
        assertThat(tree().path("services").properties().stream().map(Map.Entry::getKey).toList())
                .contains("postgres", "kafka", "toxiproxy", "order-service", "payment-service", "inventory-service",
                        "saga-orchestrator", "outbox-relay", "payment-gateway", "zipkin");
    }

    /** Every service exports its spans to the compose Zipkin, directly (a chaos experiment cuts saga links, not traces). */
    @Test
    void everyServiceExportsItsSpansToZipkin() {
        JsonNode services = tree().path("services");
        assertThat(services.path("zipkin").path("image").asText())
                .isEqualTo("openzipkin/zipkin:" + Repository.read(Repository.root().resolve("pom.xml"))
                        .replaceAll("(?s).*<zipkin-server.version>([^<]+)</zipkin-server.version>.*", "$1"));
        for (String service : List.of("order-service", "payment-service", "inventory-service", "saga-orchestrator",
                "outbox-relay", "payment-gateway")) {
            assertThat(services.path(service).path("environment").path("MANAGEMENT_TRACING_EXPORT_ZIPKIN_ENDPOINT").asText())
                    .as(service).isEqualTo("http://zipkin:9411/api/v2/spans");
        }
    }

    @Test
    void publishesTheEmbeddedPlatformsPorts() {
        JsonNode services = tree().path("services");
        HOST_PORTS.forEach((service, port) -> {
            List<String> published = new ArrayList<>();
            services.path(service).path("ports").forEach(mapping -> {
                String[] parts = mapping.asText().split(":");
                published.add(parts[parts.length - 2]);
            });
            assertThat(published).as(service).contains(port);
        });
    }

    /** Only the shop's front door is reachable from other machines; databases, Kafka and admin and fault APIs are not. */
    @Test
    void publishesOnlyTheOrderApiBeyondLoopback() {
        tree().path("services").properties().forEach(service -> service.getValue().path("ports").forEach(mapping -> {
            if ("order-service".equals(service.getKey())) {
                assertThat(mapping.asText()).isEqualTo("8081:8081");
            }
            else {
                assertThat(mapping.asText()).as(service.getKey()).startsWith("127.0.0.1:");
            }
        }));
    }

    /** A secret with a default is a secret everyone knows: compose must refuse to start without each one. */
    @Test
    void secretsHaveNoDefaults() {
        String compose = Repository.read(Repository.root().resolve("docker-compose.yml"));
        java.util.regex.Matcher secrets = java.util.regex.Pattern.compile("\\$\\{([A-Z_]*(PASSWORD|API_KEY|SECRET)[A-Z_]*)([^}]*)}").matcher(compose);
        int found = 0;
        while (secrets.find()) {
            found++;
            assertThat(secrets.group(3)).as(secrets.group(1)).startsWith(":?");
        }
        assertThat(found).isGreaterThanOrEqualTo(3);
    }

    /**
     * Compose builds nothing: every platform image comes from Jib (the parent pom's jib-maven-plugin, one tag for all),
     * under the same name the Kubernetes manifests use. The images carry no curl, so the health checks use bash.
     */
    @Test
    void runsEveryServiceFromItsJibImageUnderTheNameKubernetesUses() {
        String tag = java.util.regex.Pattern.compile("<image.tag>([^<]+)</image.tag>").matcher(Repository.read(Repository.root()
                .resolve("pom.xml"))).results().findFirst().orElseThrow().group(1);
        JsonNode services = tree().path("services");
        Map<String, String> ports = Map.of("order-service", "8081", "payment-service", "8082", "inventory-service", "8083",
                "saga-orchestrator", "8084", "outbox-relay", "8085", "payment-gateway", "8086");
        ports.forEach((service, port) -> {
            String image = "saga-platform/" + service + ":" + tag;
            assertThat(services.path(service).path("image").asText()).as(service).isEqualTo(image);
            assertThat(services.path(service).has("build")).as(service + " is built by Jib, not by compose").isFalse();
            assertThat(Repository.read(Repository.root().resolve(service).resolve("pom.xml"))).as(service)
                    .contains("<artifactId>jib-maven-plugin</artifactId>", "<image.port>" + port + "</image.port>");
            assertThat(Repository.read(Repository.root().resolve("k8s/base/services").resolve(service + ".yaml")))
                    .as("k8s " + service).contains("image: " + image);
            assertThat(services.path(service).path("healthcheck").path("test").toString()).as(service)
                    .contains("/dev/tcp/127.0.0.1/" + port, "/actuator/health/readiness", "200");
        });
        assertThat(services.path("demo").path("image").asText()).isEqualTo("saga-platform/platform-cli:" + tag);
        assertThat(services.path("demo").has("build")).isFalse();
    }

    @Test
    void runsKafkaInKraftModeFromTheOfficialImage() {
        JsonNode kafka = tree().path("services").path("kafka");
        assertThat(kafka.path("image").asText()).startsWith("apache/kafka:");
        assertThat(kafka.path("environment").path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(kafka.path("environment").has("KAFKA_ZOOKEEPER_CONNECT")).isFalse();
        assertThat(kafka.path("environment").path("CLUSTER_ID").asText()).matches("[A-Za-z0-9_-]{22}");
        assertThat(kafka.path("environment").path("KAFKA_LOG_DIRS").asText()).isEqualTo("/var/lib/kafka/data");
        assertThat(kafka.path("volumes").toString()).contains("kafka-data:/var/lib/kafka/data");
    }

    @Test
    void runsPostgresWithLogicalReplicationAndADatabasePerService() {
        JsonNode postgres = tree().path("services").path("postgres");
        assertThat(postgres.path("command").toString()).contains("wal_level=logical", "synchronous_commit=on", "max_slot_wal_keep_size=1GB");
        String init = Repository.read(Repository.root().resolve("docker/postgres/init-databases.sql"));
        DATABASES.forEach(database -> assertThat(init).contains("CREATE DATABASE " + database + " OWNER " + database + ";"));
        assertThat(postgres.path("volumes").toString()).contains("./docker/postgres/init-databases.sql:/docker-entrypoint-initdb.d/");
    }

    /**
     * Least privilege (docker/postgres/init-databases.sql, run for real by InitDatabasesScriptTest): each service connects
     * with its own role, named after its database, and its own password; the relay with outbox_relay; none as the
     * superuser, whose password only PostgreSQL gets. PostgreSQL gets every role's password the script reads.
     */
    /**
     * PostgreSQL is healthy only once init-databases.sql has run to its last statement, on the final server: the image's
     * temporary server runs the init scripts listening on its Unix socket only, where a bare pg_isready passes before
     * the roles and databases exist. So the check connects over TCP and asks for what the script's last statement
     * creates (the relay's CONNECT on the last database it lists).
     */
    @Test
    void postgresIsHealthyOnlyAfterItsInitScriptRan() {
        String check = tree().path("services").path("postgres").path("healthcheck").path("test").path(1).asText();
        String init = Repository.read(Repository.root().resolve("docker/postgres/init-databases.sql")).strip();
        String[] statements = init.split(";\\s*");
        String last = statements[statements.length - 1].strip().replaceAll("\\s+", " ");
        java.util.regex.Matcher grant = java.util.regex.Pattern.compile("GRANT CONNECT ON DATABASE (.+) TO (\\w+)").matcher(last);
        assertThat(grant.matches()).as("the init script's last statement: " + last).isTrue();
        String[] databases = grant.group(1).split(",\\s*");
        assertThat(check).contains("-h 127.0.0.1", "$$POSTGRES_PASSWORD", "grep -qx t")
                .contains("has_database_privilege('" + grant.group(2) + "', '" + databases[databases.length - 1] + "', 'CONNECT')")
                .doesNotContain("pg_isready");
        assertThat(tree().path("services").path("postgres").path("healthcheck").path("test").path(0).asText()).isEqualTo("CMD-SHELL");
    }

    @Test
    void eachServiceConnectsWithItsOwnDatabaseRole() {
        JsonNode services = tree().path("services");
        Map<String, String> roles = Map.of("order-service", "order_service", "payment-service", "payment_service",
                "inventory-service", "inventory_service", "saga-orchestrator", "saga_orchestrator", "payment-gateway", "payment_gateway", "saga-console", "saga_console");
        JsonNode postgres = services.path("postgres").path("environment");
        roles.forEach((service, role) -> {
            JsonNode environment = services.path(service).path("environment");
            String variable = role.toUpperCase(java.util.Locale.ROOT) + "_DB_PASSWORD";
            assertThat(environment.path("DB_USER").asText()).as(service).isEqualTo(role);
            assertThat(environment.path("DB_PASSWORD").asText()).as(service).startsWith("${" + variable + ":?");
            assertThat(postgres.path(variable).asText()).as("postgres gets " + variable).startsWith("${" + variable + ":?");
        });
        JsonNode relay = services.path("outbox-relay").path("environment");
        assertThat(relay.path("RELAY_DB_USER").asText()).isEqualTo("outbox_relay");
        assertThat(relay.path("RELAY_DB_PASSWORD").asText()).startsWith("${OUTBOX_RELAY_DB_PASSWORD:?");
        assertThat(postgres.path("OUTBOX_RELAY_DB_PASSWORD").asText()).startsWith("${OUTBOX_RELAY_DB_PASSWORD:?");
        services.properties().forEach(service -> {
            if (!service.getKey().equals("postgres")) {
                assertThat(service.getValue().path("environment").toString()).as(service.getKey())
                        .doesNotContain("POSTGRES_PASSWORD").doesNotContain("\"postgres\"");
            }
        });
        String init = Repository.read(Repository.root().resolve("docker/postgres/init-databases.sql"));
        java.util.regex.Matcher read = java.util.regex.Pattern.compile("(?m)^\\\\getenv \\S+ (\\S+)").matcher(init);
        int passwords = 0;
        while (read.find()) {
            passwords++;
            assertThat(postgres.has(read.group(1))).as("postgres gets " + read.group(1)).isTrue();
        }
        assertThat(passwords).isEqualTo(7);
    }

    /** Chaos experiments cut PostgreSQL, Kafka and the gateway: every service must reach them through Toxiproxy. */
    @Test
    void routesTheDependenciesThatChaosCutsThroughToxiproxy() throws Exception {
        JsonNode services = tree().path("services");
        JsonNode proxies = json.readTree(Files.readString(Repository.root().resolve("docker/toxiproxy/toxiproxy.json")));
        Map<String, String> listenPorts = new LinkedHashMap<>();
        proxies.forEach(proxy -> {
            String upstreamHost = proxy.path("upstream").asText().split(":")[0];
            assertThat(services.has(upstreamHost)).as("upstream of proxy " + proxy.path("name").asText()).isTrue();
            listenPorts.put(proxy.path("name").asText(), proxy.path("listen").asText().split(":")[1]);
        });
        assertThat(listenPorts).containsKeys("postgres", "kafka", "payment-gateway");
        for (String service : List.of("order-service", "payment-service", "inventory-service", "saga-orchestrator", "outbox-relay")) {
            JsonNode environment = services.path(service).path("environment");
            assertThat(environment.path("DB_HOST").asText()).as(service).isEqualTo("toxiproxy");
            assertThat(environment.path("DB_PORT").asText()).as(service).isEqualTo(listenPorts.get("postgres"));
            assertThat(environment.path("KAFKA_BOOTSTRAP_SERVERS").asText()).as(service).isEqualTo("toxiproxy:" + listenPorts.get("kafka"));
        }
        assertThat(services.path("payment-service").path("environment").path("PAYMENT_GATEWAY_URL").asText())
                .isEqualTo("http://toxiproxy:" + listenPorts.get("payment-gateway"));
        // A client that learned the broker's own address from metadata would bypass the proxy.
        assertThat(services.path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText())
                .contains("toxiproxy:" + listenPorts.get("kafka"));
    }

    @Test
    void startsTheRelayOnlyAfterTheServicesWhoseOutboxItReads() {
        JsonNode dependsOn = tree().path("services").path("outbox-relay").path("depends_on");
        for (String service : List.of("order-service", "payment-service", "inventory-service", "saga-orchestrator")) {
            assertThat(dependsOn.path(service).path("condition").asText()).as(service).isEqualTo("service_healthy");
        }
    }

    @Test
    void rejectsAServiceWithoutHealthcheck() {
        Map<String, Object> compose = compose();
        service(compose, "inventory-service").remove("healthcheck");
        assertThat(ComposePolicy.violations(compose)).containsExactly("inventory-service: no healthcheck (a long-running service needs"
                + " one; a one-shot job says restart: \"no\")");
    }

    @Test
    void rejectsADependencyThatWaitsOnlyForTheStart() {
        Map<String, Object> compose = compose();
        @SuppressWarnings("unchecked")
        Map<String, Object> dependsOn = (Map<String, Object>) service(compose, "order-service").get("depends_on");
        dependsOn.put("kafka", new LinkedHashMap<>(Map.of("condition", "service_started")));
        assertThat(ComposePolicy.violations(compose)).containsExactly(
                "order-service: depends on kafka with condition service_started, not service_healthy");
    }

    @Test
    void rejectsDependsOnAsAPlainList() {
        Map<String, Object> compose = compose();
        service(compose, "order-service").put("depends_on", List.of("postgres"));
        assertThat(ComposePolicy.violations(compose)).anyMatch(problem -> problem.startsWith("order-service: depends_on as a list"));
    }

    @Test
    void rejectsUnpinnedImages() {
        for (String image : List.of("postgres", "postgres:latest", "postgres:17", "apache/kafka:latest")) {
            Map<String, Object> compose = compose();
            service(compose, "postgres").put("image", image);
            assertThat(ComposePolicy.violations(compose)).as(image).anyMatch(problem -> problem.startsWith("postgres: image"));
        }
        assertThat(ComposePolicy.PINNED.matcher("postgres:17.6-bookworm").matches()).isTrue();
        assertThat(ComposePolicy.PINNED.matcher("ghcr.io/shopify/toxiproxy:2.12.0").matches()).isTrue();
        assertThat(ComposePolicy.PINNED.matcher("postgres@sha256:" + "a".repeat(64)).matches()).isTrue();
    }

    @Test
    void rejectsMisspelledKeys() {
        Map<String, Object> compose = compose();
        Map<String, Object> service = service(compose, "payment-gateway");
        service.put("healtcheck", service.remove("healthcheck"));
        assertThat(ComposePolicy.violations(compose)).contains("payment-gateway: unknown key 'healtcheck'",
                "payment-gateway: no healthcheck (a long-running service needs one; a one-shot job says restart: \"no\")");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(Map<String, Object> compose, String name) {
        return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
    }
}
