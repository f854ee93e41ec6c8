package dev.sagaplatform.payment.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a kubelet sees: the probe's HTTP status and, with details shown to everyone in these tests, the components. */
record Probes(int port) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Answer(int status, JsonNode body) {

        String component(String name) {
            return body.path("components").path(name).path("status").asString("absent");
        }
    }

    Answer readiness() {
        return get("/actuator/health/readiness");
    }

    Answer liveness() {
        return get("/actuator/health/liveness");
    }

    Answer health() {
        return get("/actuator/health");
    }

    private Answer get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
