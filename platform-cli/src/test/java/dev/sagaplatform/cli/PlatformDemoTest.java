package dev.sagaplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagaplatform.testsupport.RealInfrastructure;
import java.util.Map;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README promises, on one platform start for the whole suite: {@code ./platform up --fault-proxy}
 * starts every process with the fault proxy in every path, {@code ./platform demo} ends every sample order as
 * meant in both flows, {@code ./platform load} runs real sagas through the admin API and Kafka, the fast
 * subset of the chaos library passes, a malformed experiment is refused with its line and touches nothing,
 * a deliberately broken build (charges retried under fresh idempotency keys) fails an experiment on the money
 * invariant, and {@code ./platform down} leaves no process behind.
 * Runs on free ports and its own run folder, from the service jars the reactor built before this module.
 */
@Tag(RealInfrastructure.TAG)
class PlatformDemoTest {

    @TempDir
    Path runFolder;

    @Test
    void demoLoadAndChaosOnOnePlatformStartAndDownLeavesNothingBehind() throws Exception {
        Path root = Path.of(System.getProperty("platform.root", "..")).toAbsolutePath().normalize();
        // A missing jar fails rather than skips, and so does one older than its sources: either would test something
        // other than the code in front of you, silently.
        assertThat(new Build(root).needingBuild(true)).as("services whose runnable jar is missing or older than its sources;"
                + " build them first (./mvnw -B package -DskipTests, or the whole ./mvnw -B verify)").isEmpty();
        // Two instances of every service but the gateway: the demo's checks hold with replicas, and the replica-loss
        // experiment below kills one of each.
        List<String> up = new ArrayList<>(List.of("up", "--fault-proxy", "--replicas", "2", "--run-folder", runFolder.toString()));
        java.util.Set<Integer> chosen = new java.util.HashSet<>();
        for (String flag : List.of("--order-port", "--payment-port", "--inventory-port", "--orchestrator-port", "--relay-port",
                "--gateway-port", "--kafka-port", "--kafka-controller-port", "--postgres-port", "--fault-proxy-port", "--zipkin-port")) {
            up.add(flag);
            up.add(String.valueOf(freePort(chosen)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream loadOut = new ByteArrayOutputStream();
        ByteArrayOutputStream chaosOut = new ByteArrayOutputStream();
        Path loadJson = runFolder.resolve("load.json");
        Path brokenJournal = runFolder.resolve("broken-build.json");
        PrintStream previous = System.out;
        int exit;
        int loadExit = -1;
        int subsetExit = -1;
        int malformedExit = -1;
        int brokenExit = -1;
        long ordersBeforeMalformed = -1;
        long ordersAfterMalformed = -2;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = PlatformCli.execute(Map.of(), System.out, System.out, up.toArray(String[]::new));
            if (exit == 0) {
                exit = PlatformCli.execute(Map.of(), System.out, System.out, "demo", "--no-build", "--run-folder", runFolder.toString());
            }
            if (exit == 0) {
                // The same running platform under ./platform load: its admin PUTs, real sagas in both flows, outcomes seen on Kafka.
                System.setOut(new PrintStream(loadOut, true, StandardCharsets.UTF_8));
                loadExit = PlatformCli.execute(Map.of(), System.out, System.out, "load", "--run-folder", runFolder.toString(), "--rate", "4",
                        "--duration", "3s", "--customers", "2", "--skus", "2", "--json", loadJson.toString());

                // The chaos library's fast subset: one replica of every service killed mid-load, a network partition, poison
                // messages, a gateway slower than the time limiter. Each ends in its verdict on the invariants.
                System.setOut(new PrintStream(chaosOut, true, StandardCharsets.UTF_8));
                Path library = root.resolve("chaos/experiments");
                subsetExit = PlatformCli.execute(Map.of(), System.out, System.out, "chaos", "run", "--run-folder", runFolder.toString(),
                        library.resolve("replica-loss.yaml").toString(), library.resolve("partition-payment-from-kafka.yaml").toString(),
                        library.resolve("poison-message.yaml").toString(), library.resolve("gateway-slower-than-time-limit.yaml").toString());

                Platform platform = new Platform(root, new RunFolder(runFolder, Map.of()), System.out);
                ordersBeforeMalformed = orders(platform);
                malformedExit = PlatformCli.execute(Map.of(), System.out, System.out, "chaos", "run", "--run-folder", runFolder.toString(),
                        resource("chaos/malformed.yaml"));
                ordersAfterMalformed = orders(platform);

                // A deliberately broken build: payment-service restarted with charge retries under fresh idempotency keys.
                brokenExit = PlatformCli.execute(Map.of("PLATFORM_SERVICE_ARGS_PAYMENT_SERVICE",
                                "--payment.gateway.testing.fresh-charge-key-per-attempt=true"), System.out, System.out, "chaos", "run",
                        "--run-folder", runFolder.toString(), "--journal", brokenJournal.toString(), resource("chaos/broken-charge-keys.yaml"));
            }
        }
        finally {
            System.setOut(previous);
            PlatformCli.execute(Map.of(), new PrintStream(new ByteArrayOutputStream()), System.err, "down", "--run-folder", runFolder.toString());
        }
        String output = out.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(exit).as(output).isZero();
        for (String instance : List.of("order-service-2", "payment-service-2", "inventory-service-2", "saga-orchestrator-2", "outbox-relay-2")) {
            assertThat(output).as("up --replicas 2 started " + instance).containsPattern("(?m)^  " + instance + " +ready in ");
        }
        assertThat(output).doesNotContain("payment-gateway-2");
        assertThat(output).contains("Outcomes:").doesNotContain("NO (").doesNotContain("still PENDING");
        assertThat(output.lines().filter(line -> line.contains(" yes ")).count()).as(output).isEqualTo(Demo.SCENARIOS.size());
        // Zipkin ran with the platform (the build fetched its jar), and the demo links each order's trace.
        assertThat(output).contains("zipkin", "Traces (every service's spans of one order, in Zipkin):");
        assertThat(output.lines().filter(line -> line.contains("/zipkin/traces/")).count()).as(output).isEqualTo(Demo.SCENARIOS.size());

        String load = loadOut.toString(StandardCharsets.UTF_8);
        assertThat(loadExit).as(load).isZero();
        JsonNode figures = new ObjectMapper().readTree(loadJson.toFile());
        assertThat(figures.path("sent").asLong()).as(load).isEqualTo(12);
        assertThat(figures.path("accepted").asLong() + figures.path("refused").path("overloaded").asLong()).as(load).isEqualTo(12);
        assertThat(figures.path("approved").asLong()).as(load).isEqualTo(figures.path("accepted").asLong());
        assertThat(figures.path("unfinished").asLong()).isZero();

        String chaos = chaosOut.toString(StandardCharsets.UTF_8);
        System.out.println(chaos);
        assertThat(subsetExit).as(chaos).isZero();
        assertThat(chaos.lines().filter(line -> line.startsWith("PASSED: ")).count()).as(chaos).isEqualTo(4);
        assertThat(malformedExit).as(chaos).isEqualTo(2);
        assertThat(chaos).contains("line 4: unknown action 'kil': one of kill, pause,");
        assertThat(ordersAfterMalformed).as("orders placed by a refused experiment").isEqualTo(ordersBeforeMalformed);
        assertThat(brokenExit).as(chaos).isEqualTo(1);
        JsonNode broken = new ObjectMapper().readTree(brokenJournal.toFile());
        assertThat(broken.path("invariants").path("violations")).as(chaos)
                .anySatisfy(violation -> {
                    assertThat(violation.path("invariant").asInt()).isEqualTo(2);
                    // A retried charge under a fresh key is a second charge: an approved order charged more than once, or a
                    // rejected one whose compensation refunded one charge and left the other (which one depends on timing).
                    assertThat(violation.path("message").asText()).containsPattern("was charged \\d+ times at the gateway|is REJECTED but nets [0-9.]+ at the gateway");
                });
        assertThat(brokenJournal.resolveSibling("broken-build.md")).content().contains("**Verdict: FAILED**");

        List<String> leftOver = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .map(process -> process.info().commandLine().orElse(""))
                .filter(commandLine -> commandLine.contains(runFolder.toString())).toList();
        assertThat(leftOver).as("processes of the run folder after down").isEmpty();
        assertThat(Files.list(runFolder.resolve("pids")).toList()).isEmpty();
        assertThat(runFolder.resolve("logs").resolve("order-service.log")).isRegularFile();
    }

    private static long orders(Platform platform) throws Exception {
        try (var connection = platform.access().databases().open("order-service");
             var rows = connection.createStatement().executeQuery("select count(*) from orders")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String resource(String name) throws Exception {
        return Path.of(PlatformDemoTest.class.getClassLoader().getResource(name).toURI()).toString();
    }

    /**
     * A free port below the ephemeral range (Tools.freePortBelowEphemeralRange) whose second instance's port (+100) is free
     * too and neither of which another flag was given.
     */
    private static int freePort(java.util.Set<Integer> chosen) {
        while (true) {
            int port = Tools.freePortBelowEphemeralRange();
            int second = port + Instance.PORT_STEP;
            if (second <= 65535 && !chosen.contains(port) && !chosen.contains(second) && Tools.isPortFree(second)) {
                chosen.add(port);
                chosen.add(second);
                return port;
            }
        }
    }
}
