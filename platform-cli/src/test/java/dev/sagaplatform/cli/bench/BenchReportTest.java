package dev.sagaplatform.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    @TempDir
    Path folder;

    private static BenchResult result() {
        Step search = new Step("search", "CHOREOGRAPHY", 30, 29.8, 1800, 1800, 0, 0, 0, 120, 380, 0, false, true,
                Map.of("order-service", 9.5, "postgres", 8.0));
        Step failed = new Step("search", "CHOREOGRAPHY", 39, 35.0, 2340, 2200, 140, 0, 0, 700, 1400, 80, false, false, Map.of());
        Step overload = new Step("overload", "MIXED", 90, 28.0, 5400, 1700, 3700, 0, 0, 800, 1500, 40, false, false, Map.of());
        Map<String, Double> sustained = new LinkedHashMap<>();
        sustained.put("CHOREOGRAPHY", 30.0);
        BenchResult partial = new BenchResult("2026-11-30T13:00:00Z", "2 cores", 600, sustained, List.of(search, failed, overload),
                Map.of("outbox-relay", 36.0, "kafka", 3.0), Map.of("kafka", 400L, "order-service", 380L), Map.of());
        return new BenchResult(partial.startedAt(), partial.machine(), partial.ceilingPerSecond(), sustained, partial.steps(),
                partial.idleCpuPercent(), partial.residentMiB(), Targets.judge(partial));
    }

    @Test
    void printsEveryRateWithItsRatioToTheCeilingAndAVerdictPerTarget() {
        String text = new BenchReport(result()).text();

        assertThat(text).contains("Ceiling C (PostgreSQL alone, one saga's transaction mix): 600 sagas/s")
                .contains("Sustained CHOREOGRAPHY    30.0 sagas/s  = 0.050 C")
                .contains("sustained CHOREOGRAPHY >= 0.30 C: MISSED — 0.050 C (30.0/s)")
                .contains("overload: no TIMED_OUT: met — 0 TIMED_OUT")
                .contains("overload: refusals p99 <= 50 ms: met — p99 40 ms over 3700 refusals")
                .contains("overload: goodput >= 90 % of sustained: met — 28.0/s of 30.0/s")
                .contains("idle <= 10 % of one core: MISSED — 39.0 %")
                .contains("Resident memory: 780 MiB");
        assertThat(text.lines().filter(line -> line.startsWith("search "))).hasSize(2);
    }

    @Test
    void writesJsonMarkdownAndAPlot() throws Exception {
        List<String> problems = new BenchReport(result()).write(folder);

        JsonNode json = new ObjectMapper().readTree(folder.resolve("bench.json").toFile());
        assertThat(json.path("ceilingPerSecond").asDouble()).isEqualTo(600.0);
        assertThat(json.path("steps")).hasSize(3);
        assertThat(json.path("steps").get(0).path("cpuMillisPerSaga").path("order-service").asDouble()).isEqualTo(9.5);
        assertThat(json.path("targets").path("overload: no TIMED_OUT").asText()).startsWith("met");
        assertThat(Files.readString(folder.resolve("bench.md"))).contains("![goodput and p99 against offered load](bench.png)")
                .contains("0.050 C");
        if (problems.isEmpty()) {
            byte[] png = Files.readAllBytes(folder.resolve("bench.png"));
            assertThat(java.util.Arrays.copyOf(png, 4)).containsExactly((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        } else {
            assertThat(problems).singleElement().asString().startsWith("no plot");
        }
    }
}
