package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The monitoring that docker compose ships, checked without Docker: monitoring/prometheus.yml scrapes every service where
 * compose runs it, Grafana is provisioned with the data source and the dashboards compose mounts, and every metric a
 * dashboard panel reads is one a service was seen to expose (monitoring/exposed-metrics, recorded by the services' tests).
 */
class MonitoringFilesTest {

    private static final Path MONITORING = Repository.root().resolve("monitoring");

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode compose() {
        return json.valueToTree(Repository.yaml(Repository.read(Repository.root().resolve("docker-compose.yml")))).path("services");
    }

    private JsonNode prometheusConfig() {
        return json.valueToTree(Repository.yaml(Repository.read(MONITORING.resolve("prometheus.yml"))));
    }

    private JsonNode provisioning(String kind) {
        try (Stream<Path> files = Files.list(MONITORING.resolve("grafana/provisioning").resolve(kind))) {
            List<Path> yml = files.filter(f -> f.toString().endsWith(".yml")).toList();
            assertThat(yml).as(kind + " provisioning").hasSize(1);
            return json.valueToTree(Repository.yaml(Repository.read(yml.get(0))));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Map<String, JsonNode> dashboards() {
        Map<String, JsonNode> dashboards = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(MONITORING.resolve("grafana/dashboards"))) {
            for (Path file : files.sorted().toList()) {
                assertThat(file.toString()).as("only dashboards in that folder").endsWith(".json");
                dashboards.put(file.getFileName().toString(), json.readTree(file.toFile()));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dashboards;
    }

    /** The compose mount whose source is {@code source}: its target in the container, or null. */
    private static String mountTarget(JsonNode service, String source) {
        for (JsonNode volume : service.path("volumes")) {
            String[] parts = volume.asText().split(":");
            if (parts[0].equals(source)) {
                return parts[1];
            }
        }
        return null;
    }

    @Test
    void scrapesEveryPlatformServiceOnThePortComposeRunsItOn() {
        JsonNode services = compose();
        Set<String> scraped = new HashSet<>();
        for (JsonNode job : prometheusConfig().path("scrape_configs")) {
            String name = job.path("job_name").asText();
            assertThat(job.path("metrics_path").asText()).as(name).isEqualTo("/actuator/prometheus");
            for (JsonNode config : job.path("static_configs")) {
                for (JsonNode target : config.path("targets")) {
                    String[] hostPort = target.asText().split(":");
                    JsonNode service = services.path(hostPort[0]);
                    assertThat(service.isMissingNode()).as("target " + target.asText() + " is a compose service").isFalse();
                    assertThat(service.path("environment").path("PORT").asText()).as("port of " + hostPort[0]).isEqualTo(hostPort[1]);
                    assertThat(name).as("job of " + target.asText()).isEqualTo(hostPort[0]);
                    scraped.add(hostPort[0]);
                }
            }
        }
        List<String> platformServices = new ArrayList<>();
        services.properties().forEach(service -> {
            if (service.getValue().path("image").asText().startsWith("saga-platform/") && service.getValue().has("healthcheck")) {
                platformServices.add(service.getKey());
            }
        });
        assertThat(platformServices).hasSizeGreaterThanOrEqualTo(6);
        assertThat(scraped).containsExactlyInAnyOrderElementsOf(platformServices);
    }

    @Test
    void composeRunsPrometheusWithTheConfigAndTheAlertRules() {
        JsonNode prometheus = compose().path("prometheus");
        assertThat(prometheus.path("image").asText()).startsWith("prom/prometheus:");
        String config = mountTarget(prometheus, "./monitoring/prometheus.yml");
        assertThat(config).isNotNull();
        assertThat(prometheus.path("command").toString()).contains("--config.file=" + config);
        // rule_files resolve against the config file's folder: there compose must put alerts.yml.
        String configDir = config.substring(0, config.lastIndexOf('/') + 1);
        List<String> ruleFiles = new ArrayList<>();
        prometheusConfig().path("rule_files").forEach(file -> ruleFiles.add(file.asText()));
        assertThat(ruleFiles).containsExactly("alerts.yml");
        assertThat(mountTarget(prometheus, "./monitoring/alerts.yml")).isEqualTo(configDir + "alerts.yml");
        assertThat(Files.exists(MONITORING.resolve("alerts.yml"))).isTrue();
    }

    @Test
    void grafanaIsProvisionedWithPrometheusAndTheDashboardsFolder() {
        JsonNode grafana = compose().path("grafana");
        assertThat(grafana.path("image").asText()).startsWith("grafana/grafana:");
        assertThat(mountTarget(grafana, "./monitoring/grafana/provisioning")).isEqualTo("/etc/grafana/provisioning");
        String dashboardsTarget = mountTarget(grafana, "./monitoring/grafana/dashboards");
        assertThat(dashboardsTarget).isNotNull();
        JsonNode provider = provisioning("dashboards").path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.path("options").path("path").asText()).isEqualTo(dashboardsTarget);
        JsonNode datasource = provisioning("datasources").path("datasources").get(0);
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        String[] hostPort = datasource.path("url").asText().replace("http://", "").split(":");
        assertThat(compose().has(hostPort[0])).as("data source host is a compose service").isTrue();
        assertThat(compose().path(hostPort[0]).path("ports").toString()).contains(":" + hostPort[1] + "\"");
        assertThat(grafana.path("depends_on").path("prometheus").path("condition").asText()).isEqualTo("service_healthy");
        // No secret of its own: the platform admin's, which compose already requires.
        assertThat(grafana.path("environment").path("GF_SECURITY_ADMIN_PASSWORD").asText()).startsWith("${PLATFORM_ADMIN_PASSWORD:?");
    }

    @Test
    void shipsTheSagaResilienceAndRelayDashboards() {
        List<String> uids = dashboards().values().stream().map(d -> d.path("uid").asText()).toList();
        assertThat(uids).containsExactlyInAnyOrder("saga-overview", "resilience4j", "outbox-relay");
    }

    @Test
    void everyDashboardIsWellFormedAndReadsTheProvisionedDataSource() {
        String datasourceUid = provisioning("datasources").path("datasources").get(0).path("uid").asText();
        assertThat(datasourceUid).isNotBlank();
        dashboards().forEach((file, dashboard) -> {
            assertThat(dashboard.path("title").asText()).as(file).isNotBlank();
            assertThat(dashboard.path("uid").asText()).as(file).matches("[a-z0-9-]{1,40}");
            JsonNode panels = dashboard.path("panels");
            assertThat(panels.size()).as(file).isGreaterThanOrEqualTo(5);
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : panels) {
                String where = file + " panel " + panel.path("title").asText();
                assertThat(ids.add(panel.path("id").asInt(-1))).as(where + ": unique id").isTrue();
                assertThat(panel.path("datasource").path("uid").asText()).as(where).isEqualTo(datasourceUid);
                JsonNode grid = panel.path("gridPos");
                assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(where + ": fits the 24 columns").isLessThanOrEqualTo(24);
                assertThat(grid.path("w").asInt()).as(where).isPositive();
                assertThat(grid.path("h").asInt()).as(where).isPositive();
                assertThat(panel.path("targets").size()).as(where + ": has queries").isPositive();
                Set<String> refIds = new HashSet<>();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(refIds.add(target.path("refId").asText())).as(where + ": unique refId").isTrue();
                    assertThat(target.path("datasource").path("uid").asText()).as(where).isEqualTo(datasourceUid);
                    assertThat(target.path("expr").asText()).as(where).isNotBlank();
                }
            }
        });
    }

    @Test
    void everyMetricOnADashboardIsExposedByAService() {
        Set<String> exposed = PromQl.exposedNames();
        assertThat(exposed).as("monitoring/exposed-metrics").isNotEmpty();
        dashboards().forEach((file, dashboard) -> {
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    Set<String> metrics = PromQl.metricNames(target.path("expr").asText());
                    String where = file + " panel " + panel.path("title").asText() + ": " + target.path("expr").asText();
                    assertThat(metrics).as(where).isNotEmpty();
                    assertThat(exposed).as(where).containsAll(metrics);
                }
            }
        });
    }

    /** The files that prove names exposed come from the services the dashboards are about. */
    @Test
    void exposedMetricsAreRecordedForEveryServiceTheDashboardsShow() {
        for (String service : List.of("order-service", "payment-service", "inventory-service", "saga-orchestrator", "outbox-relay")) {
            assertThat(MONITORING.resolve("exposed-metrics").resolve(service + ".txt")).as(service).exists();
        }
    }

    @Test
    void readsMetricNamesOutOfPromQl() {
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (source, le) (rate(relay_publish_lag_seconds_bucket[5m]))) > 5"))
                .containsExactly("relay_publish_lag_seconds_bucket");
        assertThat(PromQl.metricNames("max by (job, name) (resilience4j_circuitbreaker_state{state=~\"open|forced_open\"}) == 1"))
                .containsExactly("resilience4j_circuitbreaker_state");
        assertThat(PromQl.metricNames("count(relay_source_running == 0) or vector(0)")).containsExactly("relay_source_running");
        assertThat(PromQl.metricNames("sum(a_total) / sum(b_total) * 100 unless on (job) c")).containsExactly("a_total", "b_total", "c");
        assertThat(PromQl.metricNames("relay_slot_retained_wal_bytes > 512 * 1024 * 1024")).containsExactly("relay_slot_retained_wal_bytes");
    }

    /** promtool (Debian package prometheus) checks the config and, through rule_files, the rules; skipped where it is absent. */
    @Test
    void promtoolAcceptsTheConfigAndTheRules() throws Exception {
        Assumptions.assumeTrue(onPath("promtool"), "promtool is not on PATH (apt-get install prometheus)");
        Process check = new ProcessBuilder("promtool", "check", "config", MONITORING.resolve("prometheus.yml").toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS");
    }

    /** monitoring/alerts-test.yml: the issue's alerts fire on the series the services expose, and not before their {@code for}. */
    @Test
    void theAlertsFireWhenTheirUnitTestsSayThey() throws Exception {
        Assumptions.assumeTrue(onPath("promtool"), "promtool is not on PATH (apt-get install prometheus)");
        Process test = new ProcessBuilder("promtool", "test", "rules", MONITORING.resolve("alerts-test.yml").toString())
                .redirectErrorStream(true).start();
        String output = new String(test.getInputStream().readAllBytes());
        assertThat(test.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(test.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS");
    }

    private static boolean onPath(String program) {
        try {
            Process version = new ProcessBuilder(program, "--version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            return version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
