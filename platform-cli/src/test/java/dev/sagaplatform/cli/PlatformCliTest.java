package dev.sagaplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformCliTest {

    @TempDir
    Path temp;

    @Test
    void servicesGetTheirPortDatabaseKafkaAndTheAddressesTheyCall() {
        Map<Component, Integer> ports = CliFixtures.defaultPorts();
        ports.put(Component.INVENTORY, 9183);
        assertThat(Platform.serviceArguments(Component.ORDER, ports, true)).containsExactly(
                "--server.port=8081",
                "--management.endpoint.health.show-details=always",
                "--spring.kafka.bootstrap-servers=127.0.0.1:9092",
                "--spring.datasource.url=jdbc:postgresql://localhost:15432/order_service",
                "--spring.datasource.username=order_service",
                "--inventory.base-url=http://localhost:9183",
                "--payment.base-url=http://localhost:8082");
        assertThat(Platform.serviceArguments(Component.PAYMENT, ports, true))
                .contains("--payment.gateway.base-url=http://localhost:8086");
        assertThat(Platform.serviceArguments(Component.PAYMENT_GATEWAY, ports, true))
                .noneMatch(arg -> arg.startsWith("--spring.kafka"))
                .contains("--spring.datasource.url=jdbc:postgresql://localhost:15432/payment_gateway");
    }

    @Test
    void theRelayReadsTheOrchestratorsOutboxOnlyWhenTheOrchestratorRuns() {
        Map<String, String> withOrchestrator = Platform.serviceEnvironment(Component.OUTBOX_RELAY, CliFixtures.defaultPorts(), true, null, passwords());
        assertThat(withOrchestrator).containsEntry("RELAY_SOURCES_0_NAME", "inventory").containsEntry("RELAY_SOURCES_0_DATABASE", "inventory_service")
                .containsEntry("RELAY_SOURCES_1_NAME", "orchestrator").containsEntry("RELAY_SOURCES_1_DATABASE", "saga_orchestrator")
                .containsEntry("RELAY_SOURCES_2_NAME", "payment").containsEntry("RELAY_SOURCES_3_NAME", "order")
                .containsEntry("RELAY_SOURCES_3_PORT", "15432");
        Map<String, String> without = Platform.serviceEnvironment(Component.OUTBOX_RELAY, CliFixtures.defaultPorts(), false, null, passwords());
        assertThat(without.values()).noneMatch(value -> value.contains("orchestrator"));
        assertThat(without).containsEntry("RELAY_SOURCES_2_NAME", "order").doesNotContainKey("RELAY_SOURCES_3_NAME");
    }

    /** Every local user can read a process's command line ({@code ps}); passwords travel in its environment. */
    @Test
    void noPasswordIsOnAnyServicesCommandLine() {
        for (Component service : Component.values()) {
            if (service.isService()) {
                assertThat(Platform.serviceArguments(service, CliFixtures.defaultPorts(), true)).as(service.id())
                        .noneMatch(arg -> arg.toLowerCase(java.util.Locale.ROOT).contains("password"));
                if (service.database() != null) {
                    assertThat(Platform.serviceEnvironment(service, CliFixtures.defaultPorts(), true, null, Map.of(service.database(), "its-password")))
                            .containsEntry("SPRING_DATASOURCE_PASSWORD", "its-password");
                }
            }
        }
    }

    @Test
    void everyComponentStartsAfterWhatItNeeds() {
        for (Component component : Component.values()) {
            for (Component dependency : component.dependencies()) {
                assertThat(dependency.ordinal()).as(component + " after " + dependency).isLessThan(component.ordinal());
            }
        }
        assertThat(Component.OUTBOX_RELAY.dependencies()).contains(Component.ORDER, Component.PAYMENT, Component.INVENTORY,
                Component.SAGA_ORCHESTRATOR);
    }

    @Test
    void zipkinRunsInMemoryOnItsPortOptionallyAndTheDemoLinksEachOrdersTrace() {
        assertThat(Platform.zipkinEnvironment(9511)).containsEntry("QUERY_PORT", "9511").containsEntry("STORAGE_TYPE", "mem");
        assertThat(Platform.zipkinEndpoint(9511)).isEqualTo("http://localhost:9511/api/v2/spans");
        assertThat(Component.ZIPKIN.isOptional()).isTrue();
        assertThat(Component.ZIPKIN.isService()).isFalse();
        assertThat(Component.ZIPKIN.dependencies()).isEmpty();
        assertThat(Demo.traceUrl(java.net.URI.create("http://localhost:9411/"), "4bf92f3577b34da6a3ce929d0e0e4736"))
                .isEqualTo("http://localhost:9411/zipkin/traces/4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(Traceparents.of(Traceparents.newTraceId())).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }

    @Test
    void portsComeFromDefaultsThenStoredChoicesThenFlags() {
        RunFolder folder = new RunFolder(temp, Map.of());
        assertThat(folder.ports(Map.of())).isEqualTo(CliFixtures.defaultPorts());
        folder.storePorts(Map.of(Component.ORDER, 9081), 9193);
        assertThat(folder.ports(Map.of()).get(Component.ORDER)).isEqualTo(9081);
        assertThat(folder.kafkaControllerPort(null)).isEqualTo(9193);
        assertThat(folder.ports(Map.of(Component.ORDER, 9981)).get(Component.ORDER)).isEqualTo(9981);
        assertThat(folder.ports(Map.of()).get(Component.PAYMENT)).isEqualTo(8082);
    }

    @Test
    void generatesTheAdminPasswordOnceAndKeepsItPrivate() throws Exception {
        RunFolder folder = new RunFolder(temp, Map.of());
        folder.create();
        assertThat(folder.adminCredentials(false)).isNull();
        RunFolder.AdminCredentials first = folder.adminCredentials(true);
        assertThat(first.generated()).isTrue();
        assertThat(first.password()).hasSizeGreaterThanOrEqualTo(20);
        RunFolder.AdminCredentials again = folder.adminCredentials(true);
        assertThat(again.generated()).isFalse();
        assertThat(again.password()).isEqualTo(first.password());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.storedIn()))).isEqualTo("rw-------");
    }

    /** The caller's environment reaches the CLI only as the map it is given: what a test passes, nothing else. */
    @Test
    void adminCredentialsFromTheEnvironmentWinOverStoredOnesAndAreNeverWrittenDown() {
        RunFolder stored = new RunFolder(temp, Map.of());
        stored.create();
        RunFolder.AdminCredentials generated = stored.adminCredentials(true);

        RunFolder fromEnvironment = new RunFolder(temp, Map.of(RunFolder.ADMIN_USER_ENV, "ops", RunFolder.ADMIN_PASSWORD_ENV, "from-env"));
        RunFolder.AdminCredentials credentials = fromEnvironment.adminCredentials(true);

        assertThat(credentials.user()).isEqualTo("ops");
        assertThat(credentials.password()).isEqualTo("from-env");
        assertThat(credentials.generated()).isFalse();
        assertThat(credentials.storedIn()).isNull();
        assertThat(new RunFolder(temp, Map.of()).adminCredentials(false).password()).isEqualTo(generated.password());
    }

    @Test
    void generatesTheGatewayMerchantKeyOnceKeepsItPrivateAndLetsTheEnvironmentOverrideIt() throws Exception {
        RunFolder folder = new RunFolder(temp, Map.of());
        folder.create();

        String key = folder.gatewayApiKey();

        assertThat(key).hasSizeGreaterThanOrEqualTo(16);
        assertThat(new RunFolder(temp, Map.of()).gatewayApiKey()).isEqualTo(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("merchant.properties")))).isEqualTo("rw-------");
        assertThat(new RunFolder(temp, Map.of(RunFolder.GATEWAY_API_KEY_ENV, "from-the-environment-123")).gatewayApiKey())
                .isEqualTo("from-the-environment-123");
        assertThat(folder.adminCredentials(true).password()).as("a key of its own, not the admin password").isNotEqualTo(key);
    }

    @Test
    void cleanKeepsTheUnpackedPostgresBinaries() throws Exception {
        RunFolder folder = new RunFolder(temp, Map.of());
        Files.createDirectories(folder.postgres().resolve("dist-17.10.0/bin"));
        Files.writeString(folder.postgres().resolve("dist-17.10.0/bin/postgres"), "binary");
        Files.createDirectories(folder.postgres().resolve("data"));
        Files.createDirectories(folder.logs());
        Files.writeString(folder.logs().resolve("x.log"), "log");
        folder.clean();
        assertThat(folder.postgres().resolve("dist-17.10.0/bin/postgres")).exists();
        assertThat(folder.postgres().resolve("data")).doesNotExist();
        assertThat(folder.logs()).doesNotExist();
    }

    /** A port someone else holds is named, with the flag that moves the component elsewhere. */
    @Test
    void aPortInUseIsNamedWithTheFlagToChangeIt() throws Exception {
        Path project = CliFixtures.fakeProject(temp);
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            Platform platform = new Platform(project, new RunFolder(project.resolve(".platform"), Map.of()), new PrintStream(new ByteArrayOutputStream()));
            assertThatThrownBy(() -> platform.up(new Platform.UpOptions(Map.of(Component.ORDER, port), null, null)))
                    .isInstanceOf(CliException.class)
                    .hasMessageContaining("Port " + port + " (order-service) is already in use by another program")
                    .hasMessageContaining("./platform up --order-port <port>");
        }
    }

    @Test
    void aMissingServiceJarSaysHowToBuildIt() throws Exception {
        Path project = CliFixtures.fakeProject(temp);
        Files.delete(project.resolve("payment-service/target/payment-service-0.1.0-SNAPSHOT-exec.jar"));
        Platform platform = new Platform(project, new RunFolder(project.resolve(".platform"), Map.of()), new PrintStream(new ByteArrayOutputStream()));
        assertThatThrownBy(() -> platform.up(new Platform.UpOptions(Map.of(), null, null)))
                .hasMessageContaining("No runnable jar for payment-service")
                .hasMessageContaining("./platform demo builds what is missing");
    }

    @Test
    void badArgumentsGetAClearMessage() {
        assertThat(CliFixtures.errorsOf("order", "--customer", "alice", "--item", "SKU-APPLE=two"))
                .contains("--item SKU-APPLE=two: the quantity after '=' must be a whole number");
        assertThat(CliFixtures.errorsOf("order", "--customer", "alice", "--item", "SKU-APPLE=1", "--flow", "SIDEWAYS"))
                .contains("--flow SIDEWAYS: CHOREOGRAPHY or ORCHESTRATION");
        assertThat(CliFixtures.errorsOf("up", "--order-port", "70000", "--run-folder", temp.toString()))
                .contains("--order-port 70000: a port is a number from 1 to 65535.");
    }

    @Test
    void statusListsEveryProcess() {
        String text = CliFixtures.statusOf(temp);
        for (Component component : Component.values()) {
            assertThat(text).contains(component.id());
        }
        assertThat(text).contains("PID", "PORT", "HEALTH", "stopped");
        // A stopped platform still gets its figures section: one line per service, none of them an error.
        assertThat(text).contains("SAGAS (from /actuator/prometheus)").containsPattern("(?m)^order-service +not running$")
                .containsPattern("(?m)^outbox-relay +not running$").doesNotContainPattern("(?m)^postgres +not running$");
    }

    @Test
    void parsesOrderItems() {
        assertThat(ShopClient.items(List.of("SKU-APPLE=2", "SKU-PEN", "SKU-APPLE=1")))
                .containsExactly(Map.entry("SKU-APPLE", 3), Map.entry("SKU-PEN", 1));
        assertThat(new ShopClient.OrderRequest("alice", Map.of("SKU-APPLE", 2), "CHOREOGRAPHY").json())
                .isEqualTo("{\"customerId\":\"alice\",\"items\":[{\"sku\":\"SKU-APPLE\",\"quantity\":2}],\"flow\":\"CHOREOGRAPHY\"}");
    }

    @Test
    void findsTheZonkyArchiveForThisMachine() {
        assertThat(LocalPostgres.archiveName()).matches("postgres-(linux|darwin|windows)-(x86_64|arm_64|.+)\\.txz");
        if (System.getProperty("os.name").toLowerCase().contains("linux") && System.getProperty("os.arch").equals("amd64")) {
            assertThat(LocalPostgres.class.getClassLoader().getResource(LocalPostgres.archiveName())).isNotNull();
        }
    }

    @Test
    void postgresRunsWithLogicalReplicationAndSynchronousCommit() {
        assertThat(LocalPostgres.serverSettings(15432)).containsEntry("wal_level", "logical").containsEntry("max_slot_wal_keep_size", "1GB").containsEntry("synchronous_commit", "on")
                .containsEntry("fsync", "on").containsKey("max_replication_slots");
    }


    private static Map<String, String> passwords() {
        Map<String, String> passwords = new java.util.LinkedHashMap<>();
        DatabaseRoles.all().forEach(role -> passwords.put(role, "password-of-" + role));
        return passwords;
    }
}
