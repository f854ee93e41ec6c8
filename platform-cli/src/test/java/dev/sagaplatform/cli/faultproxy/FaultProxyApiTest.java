package dev.sagaplatform.cli.faultproxy;

import static dev.sagaplatform.cli.faultproxy.ProxyFixture.PASSWORD;
import static dev.sagaplatform.cli.faultproxy.ProxyFixture.USER;
import static dev.sagaplatform.cli.faultproxy.ProxyFixture.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Toxiproxy's HTTP API: shapes, status codes and errors, the admin-only access, and the Java client against it. */
class FaultProxyApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProxyFixture fixture;
    private FaultProxyClient client;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws IOException {
        fixture = new ProxyFixture();
        client = fixture.client;
    }

    @AfterEach
    void stop() throws IOException {
        fixture.close();
    }

    @Test
    void theClientRoundTripsEveryCall() throws Exception {
        assertThat(client.version()).isEqualTo(FaultProxyServer.VERSION);

        ProxyInfo created = client.createProxy("echo", "127.0.0.1:0", fixture.echo.address());
        assertThat(created.name()).isEqualTo("echo");
        assertThat(created.upstream()).isEqualTo(fixture.echo.address());
        assertThat(created.enabled()).isTrue();
        assertThat(created.toxics()).isEmpty();
        assertThat(client.proxies()).containsOnlyKeys("echo").containsEntry("echo", created);
        assertThat(client.proxy("echo")).isEqualTo(created);

        Toxic latency = client.addToxic("echo", Toxic.latency(100, 10));
        assertThat(latency).isEqualTo(new Toxic("latency_downstream", "latency", "downstream", 1.0, Map.of("latency", 100L, "jitter", 10L)));
        Toxic limit = client.addToxic("echo", Toxic.limitData(1_000_000).upstream().named("cap").withToxicity(0.5));
        assertThat(limit).isEqualTo(new Toxic("cap", "limit_data", "upstream", 0.5, Map.of("bytes", 1_000_000L)));
        assertThat(client.toxics("echo")).containsExactly(latency, limit);
        assertThat(client.proxy("echo").toxics()).containsExactly(latency, limit);

        Toxic slower = client.updateToxic("echo", "latency_downstream", Map.of("latency", 200L));
        assertThat(slower.attributes()).containsEntry("latency", 200L).containsEntry("jitter", 10L);

        client.removeToxic("echo", "latency_downstream");
        assertThat(client.toxics("echo")).containsExactly(limit);

        assertThat(client.setEnabled("echo", false).enabled()).isFalse();
        assertThat(client.setEnabled("echo", true).enabled()).isTrue();

        client.deleteProxy("echo");
        assertThat(client.proxies()).isEmpty();
        assertThat(fixture.events).anyMatch(line -> line.startsWith("proxy echo: created"))
                .anyMatch(line -> line.startsWith("proxy echo: toxic latency_downstream (latency downstream"))
                .anyMatch(line -> line.equals("proxy echo: toxic latency_downstream removed"))
                .anyMatch(line -> line.startsWith("proxy echo: disabled"))
                .anyMatch(line -> line.equals("proxy echo: deleted"));
    }

    @Test
    void answersWithToxiproxysJsonShapes() throws Exception {
        client.createProxy("echo", "127.0.0.1:0", fixture.echo.address());
        client.addToxic("echo", Toxic.timeout(5_000));

        JsonNode proxy = json(send("GET", "/proxies/echo", null, USER, PASSWORD).body());
        assertThat(fieldNames(proxy)).containsExactly("name", "listen", "upstream", "enabled", "toxics");
        JsonNode toxic = proxy.get("toxics").get(0);
        assertThat(fieldNames(toxic)).containsExactly("name", "type", "stream", "toxicity", "attributes");
        assertThat(toxic.get("attributes").get("timeout").asLong()).isEqualTo(5_000);
        assertThat(json(send("GET", "/proxies", null, USER, PASSWORD).body()).get("echo").get("name").asText()).isEqualTo("echo");
        assertThat(json(send("GET", "/version", null, USER, PASSWORD).body()).get("version").asText()).isEqualTo(FaultProxyServer.VERSION);

        HttpResponse<String> created = send("POST", "/proxies", "{\"name\":\"other\",\"upstream\":\"" + fixture.echo.address() + "\"}",
                USER, PASSWORD);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created.body()).get("listen").asText()).as("default listen").startsWith("127.0.0.1:");
        HttpResponse<String> toxicAdded = send("POST", "/proxies/other/toxics", "{\"type\":\"noop\"}", USER, PASSWORD);
        assertThat(toxicAdded.statusCode()).as("Toxiproxy answers a new toxic with 200").isEqualTo(200);
        assertThat(send("DELETE", "/proxies/other/toxics/noop_downstream", null, USER, PASSWORD).statusCode()).isEqualTo(204);
    }

    @Test
    void anUnknownProxyIs404AndAnUnknownToxic404() {
        assertThatThrownBy(() -> client.proxy("nowhere"))
                .isInstanceOfSatisfying(FaultProxyException.class, ex -> {
                    assertThat(ex.status()).isEqualTo(404);
                    assertThat(ex.apiError()).isEqualTo("proxy not found");
                })
                .hasMessageContaining("proxy not found");
        assertThatThrownBy(() -> client.addToxic("nowhere", Toxic.latency(1, 0)))
                .isInstanceOfSatisfying(FaultProxyException.class, ex -> assertThat(ex.status()).isEqualTo(404));

        client.createProxy("echo", "127.0.0.1:0", fixture.echo.address());
        assertThatThrownBy(() -> client.removeToxic("echo", "nothing"))
                .isInstanceOfSatisfying(FaultProxyException.class, ex -> {
                    assertThat(ex.status()).isEqualTo(404);
                    assertThat(ex.apiError()).isEqualTo("toxic not found");
                });
    }

    @Test
    void errorsAreToxiproxysJson() throws Exception {
        HttpResponse<String> response = send("GET", "/proxies/nowhere", null, USER, PASSWORD);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(response.body())).isEqualTo(json("{\"error\":\"proxy not found\",\"status\":404}"));
    }

    @Test
    void aDuplicateProxyOrToxicIs409() {
        client.createProxy("echo", "127.0.0.1:0", fixture.echo.address());
        assertThatThrownBy(() -> client.createProxy("echo", "127.0.0.1:0", fixture.echo.address()))
                .isInstanceOfSatisfying(FaultProxyException.class, ex -> {
                    assertThat(ex.status()).isEqualTo(409);
                    assertThat(ex.apiError()).isEqualTo("proxy already exists");
                });

        client.addToxic("echo", Toxic.latency(10, 0));
        assertThatThrownBy(() -> client.addToxic("echo", Toxic.latency(20, 0)))
                .isInstanceOfSatisfying(FaultProxyException.class, ex -> {
                    assertThat(ex.status()).isEqualTo(409);
                    assertThat(ex.apiError()).isEqualTo("toxic already exists");
                });
    }

    @Test
    void anUnknownToxicTypeIs400ListingTheAllowedTypes() {
        client.createProxy("echo", "127.0.0.1:0", fixture.echo.address());

        assertThatThrownBy(() -> client.addToxic("echo", Toxic.of("packet_loss", Map.of())))
                .isInstanceOfSatisfying(FaultProxyException.class, ex -> {
                    assertThat(ex.status()).isEqualTo(400);
                    assertThat(ex.apiError()).startsWith("invalid toxic type 'packet_loss'")
                            .contains("latency", "bandwidth", "slow_close", "timeout", "reset_peer", "limit_data", "slicer");
                });
    }

    @Test
    void aBadAttributeStreamOrToxicityIs400() {
        client.createProxy("echo", "127.0.0.1:0", fixture.echo.address());

        assertThatThrownBy(() -> client.addToxic("echo", Toxic.of("latency", Map.of("delay", 100L))))
                .isInstanceOfSatisfying(FaultProxyException.class, ex -> {
                    assertThat(ex.status()).isEqualTo(400);
                    assertThat(ex.apiError()).contains("unknown attribute 'delay'").contains("allowed attributes: latency, jitter");
                });
        assertThatThrownBy(() -> client.addToxic("echo", Toxic.latency(-5, 0)))
                .isInstanceOfSatisfying(FaultProxyException.class, ex -> assertThat(ex.apiError())
                        .contains("'latency'").contains("whole number").contains("allowed attributes: latency, jitter"));
        assertThatThrownBy(() -> client.addToxic("echo", new Toxic(null, "latency", "sideways", 1.0, Map.of())))
                .isInstanceOfSatisfying(FaultProxyException.class, ex -> assertThat(ex.apiError())
                        .isEqualTo("stream was invalid, can be either upstream or downstream"));
        assertThatThrownBy(() -> client.addToxic("echo", Toxic.latency(5, 0).withToxicity(1.5)))
                .isInstanceOfSatisfying(FaultProxyException.class, ex -> assertThat(ex.status()).isEqualTo(400));
        assertThat(client.toxics("echo")).isEmpty();
    }

    @Test
    void missingOrWrongCredentialsAre401() throws Exception {
        HttpResponse<String> anonymous = send("GET", "/proxies", null, null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"fault-proxy\"");
        assertThat(json(anonymous.body()).get("status").asInt()).isEqualTo(401);

        HttpResponse<String> wrongPassword = send("POST", "/reset", null, USER, "guess");
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"fault-proxy\"");
        assertThat(send("GET", "/version", null, "root", PASSWORD).statusCode()).isEqualTo(401);

        assertThatThrownBy(() -> new FaultProxyClient(fixture.server.uri()).proxies())
                .isInstanceOfSatisfying(FaultProxyException.class, ex -> assertThat(ex.status()).isEqualTo(401))
                .hasMessageContaining("PLATFORM_ADMIN_PASSWORD");
    }

    @Test
    void browsersAreRefusedLikeToxiproxyRefusesThem() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(fixture.server.uri().resolve("/proxies"))
                .header("Authorization", basic(USER, PASSWORD))
                .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)")
                .build();

        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() throws Exception {
        assertThat(send("GET", "/metrics/everything", null, USER, PASSWORD).statusCode()).isEqualTo(404);
        assertThat(send("PUT", "/proxies", "{}", USER, PASSWORD).statusCode()).isEqualTo(405);
        assertThat(send("POST", "/proxies", "{not json", USER, PASSWORD).statusCode()).isEqualTo(400);
        assertThat(json(send("POST", "/proxies", "{\"name\":\"x\"}", USER, PASSWORD).body()).get("error").asText())
                .isEqualTo("missing required field: upstream");
    }

    @Test
    void resetEnablesEveryProxyAndRemovesEveryToxic() throws Exception {
        client.createProxy("echo", "127.0.0.1:0", fixture.echo.address());
        client.createProxy("other", "127.0.0.1:0", fixture.echo.address());
        client.addToxic("echo", Toxic.timeout(0));
        client.addToxic("other", Toxic.latency(1_000, 0).upstream());
        client.setEnabled("other", false);

        client.reset();

        assertThat(client.proxies().values()).allSatisfy(proxy -> {
            assertThat(proxy.enabled()).isTrue();
            assertThat(proxy.toxics()).isEmpty();
        });
        try (Socket socket = fixture.connect(client.proxy("echo")); Socket other = fixture.connect(client.proxy("other"))) {
            assertThat(roundTrip(socket, "clean")).isEqualTo("clean");
            assertThat(roundTrip(other, "clean")).isEqualTo("clean");
        }
    }

    @Test
    void populateCreatesKeepsAndReplacesProxies() throws Exception {
        String upstream = fixture.echo.address();
        HttpResponse<String> first = send("POST", "/populate", "[{\"name\":\"a\",\"upstream\":\"" + upstream + "\"},"
                + "{\"name\":\"b\",\"listen\":\"localhost:0\",\"upstream\":\"" + upstream + "\",\"enabled\":false}]", USER, PASSWORD);
        assertThat(first.statusCode()).isEqualTo(201);
        JsonNode proxies = json(first.body()).get("proxies");
        assertThat(proxies).hasSize(2);
        String listenA = proxies.get(0).get("listen").asText();
        assertThat(proxies.get(1).get("enabled").asBoolean()).isFalse();
        assertThat(proxies.get(1).get("listen").asText()).isEqualTo("127.0.0.1:0");

        // The same addresses: left as it is, its toxics included.
        client.addToxic("a", Toxic.latency(10, 0));
        HttpResponse<String> again = send("POST", "/populate",
                "[{\"name\":\"a\",\"listen\":\"" + listenA + "\",\"upstream\":\"" + upstream + "\"}]", USER, PASSWORD);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(client.proxy("a").toxics()).hasSize(1);

        HttpResponse<String> invalid = send("POST", "/populate", "[{\"name\":\"c\"}]", USER, PASSWORD);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid.body()).get("error").asText()).isEqualTo("missing required field: upstream at proxy 1");
        assertThat(client.proxies()).containsOnlyKeys("a", "b");
    }

    @Test
    void changingTheUpstreamRestartsTheProxyOnTheSamePort() throws Exception {
        ProxyInfo proxy = client.createProxy("echo", "127.0.0.1:0", "127.0.0.1:1");
        HttpResponse<String> updated = send("POST", "/proxies/echo", "{\"upstream\":\"" + fixture.echo.address() + "\"}", USER, PASSWORD);

        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(json(updated.body()).get("listen").asText()).isEqualTo(proxy.listen());
        try (Socket socket = fixture.connect(client.proxy("echo"))) {
            assertThat(roundTrip(socket, "moved")).isEqualTo("moved");
        }
    }

    private HttpResponse<String> send(String method, String path, String body, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(fixture.server.uri().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("Authorization", basic(user, password));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    private static List<String> fieldNames(JsonNode node) {
        return node.properties().stream().map(Map.Entry::getKey).toList();
    }
}
