package dev.sagaplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sagaplatform.cli.chaos.targets.ChaosTarget;
import dev.sagaplatform.contracts.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./platform up --replicas}: several processes of a service, each with its own name, port, pid file and log. */
class ReplicasTest {

    @TempDir
    Path temp;

    @Test
    void readsOneCountForEveryServicePerServiceCountsOrBoth() {
        Replicas every = Replicas.parse("2");
        assertThat(every.counts()).containsOnlyKeys(Replicas.replicableComponents())
                .containsEntry(Component.ORDER, 2).containsEntry(Component.SAGA_CONSOLE, 2).containsEntry(Component.OUTBOX_RELAY, 2);
        assertThat(every.count(Component.PAYMENT_GATEWAY)).isEqualTo(1);
        assertThat(every.count(Component.KAFKA)).isEqualTo(1);

        Replicas named = Replicas.parse("order-service=3, payment-service=2");
        assertThat(named.counts()).containsOnly(Map.entry(Component.ORDER, 3), Map.entry(Component.PAYMENT, 2));

        Replicas both = Replicas.parse("order-service=3,2");
        assertThat(both.count(Component.ORDER)).as("a named count wins over the default, wherever it stands").isEqualTo(3);
        assertThat(both.count(Component.INVENTORY)).isEqualTo(2);
        assertThat(Replicas.replicableComponents()).extracting(Component::id).containsExactly("inventory-service", "saga-orchestrator",
                "payment-service", "order-service", "outbox-relay", "saga-console");
    }

    @Test
    void refusesWhatCannotRunSeveralTimesOrMoreThanAConsumerGroupCanUse() {
        int max = Topics.PARTITIONS;
        assertThatThrownBy(() -> Replicas.parse("kafka=2")).isInstanceOf(CliException.class)
                .hasMessageContaining("--replicas kafka=2: kafka always runs as one process")
                .hasMessageContaining("order-service, outbox-relay, saga-console");
        assertThatThrownBy(() -> Replicas.parse("payment-gateway=2")).hasMessageContaining("payment-gateway always runs as one process");
        assertThatThrownBy(() -> Replicas.parse("orders=2")).hasMessageContaining("no service 'orders'")
                .hasMessageContaining("SERVICE one of inventory-service, saga-orchestrator, payment-service, order-service");
        assertThatThrownBy(() -> Replicas.parse(String.valueOf(max + 1)))
                .hasMessageContaining((max + 1) + " is out of range: 1 to " + max + " (a topic has " + max + " partitions");
        assertThatThrownBy(() -> Replicas.parse("order-service=0")).hasMessageContaining("0 is out of range");
        assertThatThrownBy(() -> Replicas.parse("two")).hasMessageContaining("'two' is not a whole number");
        assertThatThrownBy(() -> Replicas.parse("2,3")).hasMessageContaining("one number for every service at most");
        assertThatThrownBy(() -> Replicas.parse("order-service=2,order-service=3")).hasMessageContaining("order-service is named twice");
        assertThat(CliFixtures.errorsOf("up", "--replicas", "zipkin=2", "--run-folder", temp.toString()))
                .contains("--replicas zipkin=2: zipkin always runs as one process");
    }

    @Test
    void instanceOneKeepsTheNamesOfASingleProcessAndFurtherInstancesAreAHundredPortsApart() {
        RunFolder folder = new RunFolder(temp, Map.of());
        Instance first = Instance.first(Component.ORDER);
        Instance third = new Instance(Component.ORDER, 3);
        assertThat(first.id()).isEqualTo("order-service");
        assertThat(third.id()).isEqualTo("order-service-3");
        assertThat(folder.pidFile(first)).isEqualTo(folder.pidFile(Component.ORDER)).hasFileName("order-service.pid");
        assertThat(folder.logFile(first)).hasFileName("order-service.log");
        assertThat(folder.pidFile(third)).hasFileName("order-service-3.pid");
        assertThat(folder.logFile(third)).hasFileName("order-service-3.log");
        assertThat(first.port(CliFixtures.defaultPorts())).isEqualTo(8081);
        assertThat(new Instance(Component.ORDER, 2).port(CliFixtures.defaultPorts())).isEqualTo(8181);
        assertThat(third.port(CliFixtures.defaultPorts())).isEqualTo(8281);
        assertThat(Replicas.parse("order-service=2").instances(Component.ORDER)).extracting(Instance::id)
                .containsExactly("order-service", "order-service-2");
        assertThatThrownBy(() -> new Instance(Component.ORDER, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRunFolderKeepsTheCountsAndAnExplicitChangeOnlyChangesWhatItNames() {
        RunFolder folder = new RunFolder(temp, Map.of());
        assertThat(folder.replicas().count(Component.ORDER)).isEqualTo(1);
        folder.storeReplicas(Replicas.parse("2"));
        Replicas changed = folder.replicas().with(Replicas.parse("order-service=3"));
        folder.storeReplicas(changed);
        Replicas later = new RunFolder(temp, Map.of()).replicas();
        assertThat(later.count(Component.ORDER)).isEqualTo(3);
        assertThat(later.count(Component.PAYMENT)).isEqualTo(2);
        assertThat(later.count(Component.PAYMENT_GATEWAY)).isEqualTo(1);
    }

    @Test
    void orderServiceCallsEveryInventoryAndPaymentInstanceAsOneCommaSeparatedList() {
        Replicas replicas = Replicas.parse("inventory-service=2,payment-service=3,order-service=2");
        Map<Component, Integer> ports = CliFixtures.defaultPorts();
        List<String> second = Platform.serviceArguments(new Instance(Component.ORDER, 2), ports, replicas, true, null);
        assertThat(second).contains("--server.port=8181",
                "--inventory.base-url=http://localhost:8083,http://localhost:8183",
                "--payment.base-url=http://localhost:8082,http://localhost:8182,http://localhost:8282");
        assertThat(Platform.serviceArguments(new Instance(Component.PAYMENT, 3), ports, replicas, true, null))
                .contains("--server.port=8282", "--payment.gateway.base-url=http://localhost:8086");
        // The console reads each service through its first instance.
        assertThat(Platform.serviceArguments(Instance.first(Component.SAGA_CONSOLE), ports, replicas, true, null))
                .contains("--console.services.order-service=http://localhost:8081", "--console.services.inventory-service=http://localhost:8083");
        // One instance of each: exactly the single URL of before.
        assertThat(Platform.serviceArguments(Component.ORDER, ports, true))
                .contains("--inventory.base-url=http://localhost:8083", "--payment.base-url=http://localhost:8082");
    }

    @Test
    void throughTheFaultProxyEachPeerInstanceHasAPathOfItsOwnAndInstancesShareTheirPathsToKafkaAndPostgres() throws Exception {
        Replicas replicas = Replicas.parse("inventory-service=2,order-service=2");
        FaultProxyLayout layout = FaultProxyLayout.of(new RunFolder(temp, Map.of()), replicas);
        Map<Component, Integer> ports = CliFixtures.defaultPorts();

        int toInventory1 = layout.port(Component.ORDER, Instance.first(Component.INVENTORY));
        int toInventory2 = layout.port(Component.ORDER, new Instance(Component.INVENTORY, 2));
        assertThat(toInventory2).isNotEqualTo(toInventory1);
        List<String> first = Platform.serviceArguments(Instance.first(Component.ORDER), ports, replicas, true, layout);
        List<String> second = Platform.serviceArguments(new Instance(Component.ORDER, 2), ports, replicas, true, layout);
        assertThat(first).contains("--inventory.base-url=http://localhost:" + toInventory1 + ",http://localhost:" + toInventory2,
                "--payment.base-url=http://localhost:" + layout.port(Component.ORDER, Component.PAYMENT));
        assertThat(second.stream().filter(arg -> arg.startsWith("--spring.kafka") || arg.startsWith("--spring.datasource.url")
                || arg.startsWith("--inventory"))).containsExactlyElementsOf(first.stream().filter(arg -> arg.startsWith("--spring.kafka")
                || arg.startsWith("--spring.datasource.url") || arg.startsWith("--inventory")).toList());

        JsonNode proxies = new ObjectMapper().readTree(layout.toxiproxyConfig(ports));
        assertThat(proxies).hasSize(15);
        Map<String, String> upstreams = new java.util.HashMap<>();
        proxies.forEach(proxy -> upstreams.put(proxy.path("name").asText(), proxy.path("upstream").asText()));
        assertThat(upstreams).containsEntry("order-service-to-inventory-service", "127.0.0.1:8083")
                .containsEntry("order-service-to-inventory-service-2", "127.0.0.1:8183")
                .doesNotContainKey("order-service-to-payment-service-2");
        assertThat(FaultProxyLayout.pathNames("order-service", "inventory-service", replicas))
                .containsExactly("order-service-to-inventory-service", "order-service-to-inventory-service-2");
        assertThat(FaultProxyLayout.pathNames("order-service", "kafka", replicas)).containsExactly("order-service-to-kafka");
    }

    @Test
    void aNetworkFaultBetweenTwoServicesActsOnThePathToEveryInstance() {
        RunFolder folder = new RunFolder(temp, Map.of(RunFolder.ADMIN_PASSWORD_ENV, "secret"));
        folder.storeReplicas(Replicas.parse("inventory-service=2"));
        LocalChaosTarget target = new LocalChaosTarget(new Platform(temp, folder, new PrintStream(new ByteArrayOutputStream())),
                new PrintStream(new ByteArrayOutputStream()));
        ChaosTarget.Toxic toxic = new ChaosTarget.Toxic("chaos-latency-downstream", "latency", "downstream", 1.0, Map.of("latency", 300));
        assertThat(target.addToxic("order-service", "inventory-service", toxic).describe())
                .contains("/proxies/order-service-to-inventory-service/toxics", "/proxies/order-service-to-inventory-service-2/toxics");
        assertThat(target.removeToxic("order-service", "inventory-service", "chaos-latency-downstream").describe())
                .contains("/proxies/order-service-to-inventory-service/toxics/chaos-latency-downstream",
                        "/proxies/order-service-to-inventory-service-2/toxics/chaos-latency-downstream");
        assertThat(target.addToxic("order-service", "payment-service", toxic).describe())
                .as("a single peer instance: the one path, as before").doesNotContain(";")
                .contains("/proxies/order-service-to-payment-service/toxics");
    }

    @Test
    void aReplicaBeyondTheServicesCountFailsTheStepWithTheCount() {
        RunFolder folder = new RunFolder(temp, Map.of(RunFolder.ADMIN_PASSWORD_ENV, "secret"));
        folder.storeReplicas(Replicas.parse("order-service=2"));
        LocalChaosTarget target = new LocalChaosTarget(new Platform(temp, folder, new PrintStream(new ByteArrayOutputStream())),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(target.kill("order-service", 2).describe()).isEqualTo("SIGKILL replica 2 of order-service");
        assertThat(target.kill("order-service").describe()).isEqualTo("SIGKILL order-service (every instance)");
        assertThatThrownBy(() -> target.kill("order-service", 3).run()).isInstanceOf(IllegalStateException.class)
                .hasMessage("order-service runs 2 instance(s) here (./platform up --replicas order-service=N); there is no replica 3");
        assertThatThrownBy(() -> target.pause("order-service", 2).run()).hasMessage("order-service-2 is not running");
    }

    /** Without a replica a kill takes every instance down; with one, only that instance. */
    @Test
    void killActsOnEveryInstanceOrOnTheReplicaNamed() throws Exception {
        RunFolder folder = new RunFolder(temp, Map.of(RunFolder.ADMIN_PASSWORD_ENV, "secret"));
        folder.create();
        folder.storeReplicas(Replicas.parse("inventory-service=3"));
        ProcessControl processes = new ProcessControl(folder);
        List<Process> standIns = new ArrayList<>();
        try {
            for (int ordinal = 1; ordinal <= 3; ordinal++) {
                // A process whose command line carries the marker, as a service's JVM carries -Dplatform.process=...
                Process process = new ProcessBuilder("sleep", "300").start();
                standIns.add(process);
                processes.writePidFile(new Instance(Component.INVENTORY, ordinal), process.pid(), 8083 + 100 * (ordinal - 1), "sleep");
            }
            LocalChaosTarget target = new LocalChaosTarget(new Platform(temp, folder, new PrintStream(new ByteArrayOutputStream())),
                    new PrintStream(new ByteArrayOutputStream()));

            target.kill("inventory-service", 2).run();
            assertThat(standIns).extracting(Process::isAlive).containsExactly(true, false, true);
            assertThat(processes.findAll(Component.INVENTORY)).extracting(running -> running.instance().ordinal()).containsExactly(1, 3);

            target.kill("inventory-service").run();
            assertThat(standIns).extracting(Process::isAlive).containsExactly(false, false, false);
            assertThatThrownBy(() -> target.kill("inventory-service").run()).hasMessage("inventory-service is not running");
        }
        finally {
            standIns.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void statusListsEveryInstanceWithItsPortAndMetricsLine() {
        new RunFolder(temp, Map.of()).storeReplicas(Replicas.parse("order-service=2,outbox-relay=3"));
        String text = status();
        // "not built" here: the test's working directory has no service jars.
        assertThat(text).containsPattern("(?m)^order-service +- +8081 +(stopped|not built)$")
                .containsPattern("(?m)^order-service-2 +- +8181 +(stopped|not built)$")
                .containsPattern("(?m)^outbox-relay-3 +- +8285 +(stopped|not built)$").doesNotContain("payment-service-2");
        assertThat(text).containsPattern("(?m)^order-service-2 +not running$").containsPattern("(?m)^outbox-relay-2 +not running$");
    }

    /** An instance above a lowered count that still runs is listed (and down stops it): a pid file is not forgotten. */
    @Test
    void anInstanceAboveTheCountThatStillRunsIsFound() {
        RunFolder folder = new RunFolder(temp, Map.of());
        folder.create();
        ProcessControl processes = new ProcessControl(folder);
        // This JVM stands in for a running order-service-3: its command line has "java" in it.
        processes.writePidFile(new Instance(Component.ORDER, 3), ProcessHandle.current().pid(), 8281, "java");
        assertThat(processes.highestOrdinal(Component.ORDER)).isEqualTo(3);
        assertThat(processes.findAll(Component.ORDER)).extracting(running -> running.instance().id()).containsExactly("order-service-3");
        assertThat(status()).containsPattern("(?m)^order-service-3 +" + ProcessHandle.current().pid() + " +8281 ");
        assertThat(processes.highestOrdinal(Component.PAYMENT)).isEqualTo(1);
    }

    /** order-service is given its peers' instances at start: changing their count under it would leave it calling the old set. */
    @Test
    void changingAPeersCountWhileOrderServiceRunsNeedsDownFirst() throws Exception {
        Path project = CliFixtures.fakeProject(temp);
        RunFolder folder = new RunFolder(project.resolve(".platform"), Map.of());
        folder.create();
        new ProcessControl(folder).writePidFile(Component.ORDER, ProcessHandle.current().pid(), 8081, "java");
        Platform platform = new Platform(project, folder, new PrintStream(new ByteArrayOutputStream()));
        assertThatThrownBy(() -> platform.up(new Platform.UpOptions(Map.of(), null, null, null, Replicas.parse("inventory-service=2"))))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("--replicas changes inventory-service from 1 to 2, and [order-service] run with the addresses")
                .hasMessageContaining("./platform down first");
        assertThat(folder.replicas().count(Component.INVENTORY)).as("nothing remembered from a refused up").isEqualTo(1);
    }

    @Test
    void aFurtherInstancesPortBeyond65535IsRefusedWithTheFlagToLowerIt() throws Exception {
        Path project = CliFixtures.fakeProject(temp);
        Platform platform = new Platform(project, new RunFolder(project.resolve(".platform"), Map.of()),
                new PrintStream(new ByteArrayOutputStream()));
        assertThatThrownBy(() -> platform.up(new Platform.UpOptions(Map.of(Component.ORDER, 65500), null, null, null,
                Replicas.parse("order-service=2"))))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("order-service-2 would listen on port 65600 (--order-port 65500 + 100 per further instance), beyond 65535");
        // Refused before anything changed: the count is not kept for later ups.
        assertThat(platform.replicas().count(Component.ORDER)).isEqualTo(1);
    }

    @Test
    void aStoredCountOutOfRangeIsAClearError() throws Exception {
        RunFolder folder = new RunFolder(temp.resolve("run"), Map.of());
        folder.create();
        Files.writeString(folder.root().resolve("platform.properties"), "replicas.order-service=" + (Topics.PARTITIONS + 1) + "\n");
        assertThatThrownBy(folder::replicas).isInstanceOf(CliException.class)
                .hasMessageContaining("order-service=" + (Topics.PARTITIONS + 1)).hasMessageContaining("out of range");
    }

    @Test
    void ordersGoToTheInstancesInTurnAndAnInstanceThatRefusesTheConnectionIsSkipped() throws Exception {
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        HttpServer one = shop(first);
        HttpServer two = shop(second);
        int refusing;
        try (ServerSocket socket = new ServerSocket(0)) {
            refusing = socket.getLocalPort(); // closed again: nothing listens there
        }
        try {
            URI a = URI.create("http://localhost:" + one.getAddress().getPort());
            URI b = URI.create("http://localhost:" + two.getAddress().getPort());
            ShopClient.OrderRequest request = new ShopClient.OrderRequest("alice", Map.of("SKU-APPLE", 1), null);
            ShopClient spread = new ShopClient(List.of(a, b), a, a);
            for (int i = 0; i < 4; i++) {
                assertThat(spread.place(request)).isEqualTo("order-1");
            }
            assertThat(first).hasSize(2);
            assertThat(second).hasSize(2);

            ShopClient withADeadInstance = new ShopClient(List.of(URI.create("http://localhost:" + refusing), a), a, a);
            first.clear();
            for (int i = 0; i < 3; i++) {
                assertThat(withADeadInstance.place(request)).isEqualTo("order-1");
                assertThat(withADeadInstance.order("order-1").path("orderId").asText()).isEqualTo("order-1");
            }
            // Three orders, three POSTs to the live instance: the refused connection sent nothing, and nothing was sent twice.
            assertThat(first).filteredOn(line -> line.startsWith("POST")).hasSize(3);

            assertThatThrownBy(() -> new ShopClient(List.of(URI.create("http://localhost:" + refusing)), a, a).place(request))
                    .isInstanceOf(CliException.class).hasMessageContaining("No answer from http://localhost:" + refusing + "/orders");
        }
        finally {
            one.stop(0);
            two.stop(0);
        }
    }

    /** A stand-in order-service: accepts every order as order-1 and answers reads of it; notes "METHOD path key". */
    private static HttpServer shop(List<String> requests) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/orders", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            byte[] body = "{\"orderId\":\"order-1\",\"status\":\"PENDING\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders("POST".equals(exchange.getRequestMethod()) ? 202 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private String status() {
        return CliFixtures.statusOf(temp);
    }

}
