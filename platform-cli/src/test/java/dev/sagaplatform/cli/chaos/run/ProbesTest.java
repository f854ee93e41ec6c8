package dev.sagaplatform.cli.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sagaplatform.cli.chaos.experiment.Activity;
import dev.sagaplatform.cli.chaos.experiment.ExperimentParser;
import dev.sagaplatform.cli.chaos.targets.ComposeTarget;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Outside the local platform a service shows health components to the platform admin only: an HTTP probe that
 * reads one ({@code $.components.circuitBreakers...}) authenticates, against a real HTTP server that answers as a
 * service does.
 */
class ProbesTest {

    private static final String ADMIN = "Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8));

    private HttpServer service;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startService() throws Exception {
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/actuator/health", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(authorization));
            byte[] body = (ADMIN.equals(authorization)
                    ? "{\"status\":\"UP\",\"components\":{\"circuitBreakers\":{\"status\":\"UP\"}}}"
                    : "{\"status\":\"UP\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        service.start();
    }

    @AfterEach
    void stopService() {
        service.stop(0);
    }

    @Test
    void readsComponentsWithTheAdminCredentialsOfTheTarget() throws Exception {
        Probes probes = probes("ops", "s3cret");

        Probes.Result result = probes.take(breakerProbe());

        assertThat(result.ok()).as(result.detail()).isTrue();
        assertThat(result.value()).isEqualTo("UP");
        assertThat(authorizations).containsExactly(ADMIN);
    }

    @Test
    void withoutCredentialsTheComponentIsNotThere() throws Exception {
        Probes.Result result = probes("ops", null).take(breakerProbe());

        assertThat(result.ok()).as(result.detail()).isFalse();
        assertThat(result.value()).isNull();
        assertThat(authorizations).containsExactly("null");
    }

    @Test
    void sendsTheCredentialsOnlyToThePlatformsOwnServices() {
        Probes probes = probes("ops", "s3cret");

        assertThat(probes.adminAuthorization("http://order-service/actuator/health")).contains(ADMIN);
        assertThat(probes.adminAuthorization("http://payment-service.shop.svc.cluster.local:8082/health")).contains(ADMIN);
        assertThat(probes.adminAuthorization("http://localhost:8081/actuator/health")).contains(ADMIN);
        assertThat(probes.adminAuthorization("https://status.example.com/health")).isEmpty();
        assertThat(probes.adminAuthorization("http://kafka/health")).isEmpty();
    }

    private static Probes probes(String user, String password) {
        return new Probes(new ComposeTarget(Path.of("docker-compose.yml"), user, password), new MetricSampler(Map.of()));
    }

    private Activity breakerProbe() throws Exception {
        String experiment = """
                version: 1.0.0
                title: the breaker is closed
                description: a probe of a health component
                steady-state-hypothesis:
                  title: closed
                  probes:
                    - type: probe
                      name: breaker-closed
                      tolerance: {type: jsonpath, path: "$.components.circuitBreakers.status", expect: "UP"}
                      provider: {type: http, url: "http://localhost:%d/actuator/health", timeout: 3}
                method:
                  - type: action
                    name: heal
                    provider: {type: python, module: sagaplatform.actions, func: heal_gateway}
                """.formatted(service.getAddress().getPort());
        return ExperimentParser.parse(experiment, "probes-test.yaml").steadyState().get(0);
    }
}
