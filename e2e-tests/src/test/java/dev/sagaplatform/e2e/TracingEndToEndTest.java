package dev.sagaplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.e2e.ApplicationUnderTest.Service;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * One order is one trace, in either flow: the client's {@code traceparent} on {@code POST /orders} is honoured, and
 * every service's spans — HTTP in and out, the relay's publish of each outbox row, each consumer's handling — land in
 * that trace in the platform's real Zipkin server. The spans are read back from Zipkin, not from the services, so
 * the test also proves what a user relies on: the export works and Zipkin assembles the trace.
 *
 * <p>The outbox hop is checked link by link: every consumer span's parent is a publish span of the relay, and every
 * publish span's parent is a span of the service that wrote the row. A hop that started a fresh trace, or a consumer
 * that ignored the header, leaves services out of the trace or a span without its parent, and the test fails.
 */
class TracingEndToEndTest extends EndToEndTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ParameterizedTest
    @ValueSource(strings = {"CHOREOGRAPHY", "ORCHESTRATION"})
    void oneOrderIsOneTraceAcrossEveryService(String flow) throws Exception {
        String traceId = hex(16);
        String clientSpanId = hex(8);

        UUID orderId = placeOrder(flow, "00-" + traceId + "-" + clientSpanId + "-01");
        assertThat(client.awaitTerminal(orderId).path("status").asString()).isEqualTo("APPROVED");

        Set<String> expected = new TreeSet<>(List.of("order-service", "payment-service", "inventory-service",
                "payment-gateway", "outbox-relay"));
        if ("ORCHESTRATION".equals(flow)) {
            expected.add("saga-orchestrator");
        }
        // Spans are exported in batches (every few seconds): wait until the whole saga is in, with every link intact.
        List<JsonNode> spans = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> trace(traceId), found -> services(found).containsAll(expected) && orphans(found, clientSpanId).isEmpty()
                        && consumersWithoutPublishParent(found).isEmpty());

        assertThat(services(spans)).containsAll(expected);
        Map<String, JsonNode> byId = spans.stream().collect(Collectors.toMap(span -> span.path("id").asString(), span -> span,
                (first, second) -> first));
        List<JsonNode> publishes = spans.stream().filter(span -> "outbox-relay".equals(service(span))
                && "PRODUCER".equals(span.path("kind").asString())).toList();
        assertThat(publishes).as("the relay's publish spans").hasSizeGreaterThanOrEqualTo("ORCHESTRATION".equals(flow) ? 6 : 3);
        for (JsonNode publish : publishes) {
            JsonNode writer = byId.get(publish.path("parentId").asString());
            assertThat(writer).as("the span that wrote the outbox row of " + publish.path("name").asString()).isNotNull();
            assertThat(service(writer)).isNotEqualTo("outbox-relay");
        }
        assertThat(consumersWithoutPublishParent(spans)).as("consumer spans not continuing a publish").isEmpty();
    }

    private UUID placeOrder(String flow, String traceparent) throws Exception {
        String body = "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"SKU-APPLE\",\"quantity\":1}],\"flow\":\"" + flow + "\"}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(app.url(Service.ORDER).resolve("/orders"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).header("traceparent", traceparent)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return UUID.fromString(PlatformClient.JSON.readTree(response.body()).path("orderId").asString());
    }

    /** Zipkin's view of the trace: every span it received with this trace id (none yet: empty). */
    private static List<JsonNode> trace(String traceId) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(app.zipkin() + "/api/v2/trace/" + traceId))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        List<JsonNode> spans = new ArrayList<>();
        if (response.statusCode() == 200) {
            PlatformClient.JSON.readTree(response.body()).forEach(spans::add);
        }
        return spans;
    }

    private static Set<String> services(List<JsonNode> spans) {
        return spans.stream().map(TracingEndToEndTest::service).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String service(JsonNode span) {
        return span.path("localEndpoint").path("serviceName").asString();
    }

    /** Spans whose parent is neither in the trace nor the client's own span: where the trace would be cut. */
    private static List<String> orphans(List<JsonNode> spans, String clientSpanId) {
        Set<String> ids = spans.stream().map(span -> span.path("id").asString()).collect(Collectors.toSet());
        return spans.stream().filter(span -> {
            String parent = span.path("parentId").asString(null);
            return parent == null || (!parent.equals(clientSpanId) && !ids.contains(parent));
        }).map(span -> service(span) + " " + span.path("name").asString()).toList();
    }

    private static List<String> consumersWithoutPublishParent(List<JsonNode> spans) {
        Map<String, JsonNode> byId = spans.stream().collect(Collectors.toMap(span -> span.path("id").asString(), span -> span,
                (first, second) -> first));
        return spans.stream().filter(span -> "CONSUMER".equals(span.path("kind").asString())).filter(span -> {
            JsonNode parent = byId.get(span.path("parentId").asString(""));
            return parent == null || !"outbox-relay".equals(service(parent)) || !"PRODUCER".equals(parent.path("kind").asString());
        }).map(span -> service(span) + " " + span.path("name").asString()).toList();
    }

    private static String hex(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HexFormat.of().formatHex(buffer);
    }
}
