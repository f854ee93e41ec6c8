package dev.sagaplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README promises: {@code ./platform demo} starts the whole platform as separate processes,
 * every sample order ends as meant in both flows, {@code ./platform load} then runs real sagas on it through
 * the admin API and Kafka, and {@code ./platform down} leaves no process behind.
 * Runs on free ports and its own run folder, from the service jars the reactor built before this module.
 */
class PlatformDemoTest {

    @TempDir
    Path runFolder;

    @Test
    void demoEndsEveryOrderAsMeantAndDownLeavesNothingBehind() throws Exception {
        Path root = Path.of(System.getProperty("platform.root", "..")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(new Build(root).needingBuild(false).isEmpty(),
                "the service jars are not built (./mvnw -B verify builds them before this module)");
        List<String> args = new ArrayList<>(List.of("demo", "--no-build", "--run-folder", runFolder.toString()));
        for (String flag : List.of("--order-port", "--payment-port", "--inventory-port", "--orchestrator-port", "--relay-port",
                "--gateway-port", "--kafka-port", "--kafka-controller-port", "--postgres-port")) {
            args.add(flag);
            args.add(String.valueOf(freePort()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream loadOut = new ByteArrayOutputStream();
        Path loadJson = runFolder.resolve("load.json");
        PrintStream previous = System.out;
        int exit;
        int loadExit = -1;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = PlatformCli.execute(Map.of(), System.out, System.out, args.toArray(String[]::new));
            if (exit == 0) {
                // The same running platform under ./platform load: its admin PUTs, real sagas in both flows, outcomes seen on Kafka.
                System.setOut(new PrintStream(loadOut, true, StandardCharsets.UTF_8));
                loadExit = PlatformCli.execute(Map.of(), System.out, System.out, "load", "--run-folder", runFolder.toString(), "--rate", "4",
                        "--duration", "3s", "--customers", "2", "--skus", "2", "--json", loadJson.toString());
            }
        }
        finally {
            System.setOut(previous);
            PlatformCli.execute(Map.of(), new PrintStream(new ByteArrayOutputStream()), System.err, "down", "--run-folder", runFolder.toString());
        }
        String output = out.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(exit).as(output).isZero();
        assertThat(output).contains("Outcomes:").doesNotContain("NO (").doesNotContain("still PENDING");
        assertThat(output.lines().filter(line -> line.contains(" yes ")).count()).as(output).isEqualTo(Demo.SCENARIOS.size());

        String load = loadOut.toString(StandardCharsets.UTF_8);
        assertThat(loadExit).as(load).isZero();
        JsonNode figures = new ObjectMapper().readTree(loadJson.toFile());
        assertThat(figures.path("sent").asLong()).as(load).isEqualTo(12);
        assertThat(figures.path("accepted").asLong() + figures.path("refused").path("overloaded").asLong()).as(load).isEqualTo(12);
        assertThat(figures.path("approved").asLong()).as(load).isEqualTo(figures.path("accepted").asLong());
        assertThat(figures.path("unfinished").asLong()).isZero();

        List<String> leftOver = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .map(process -> process.info().commandLine().orElse(""))
                .filter(commandLine -> commandLine.contains(runFolder.toString())).toList();
        assertThat(leftOver).as("processes of the run folder after down").isEmpty();
        assertThat(Files.list(runFolder.resolve("pids")).toList()).isEmpty();
        assertThat(runFolder.resolve("logs").resolve("order-service.log")).isRegularFile();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
