package dev.sagaplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.e2e.ApplicationUnderTest.Service;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The public REST contract of placing orders (DESIGN.md), against the running order-service. */
class OrderApiTest extends EndToEndTest {

    private static final String VALID = "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"SKU-PEN\",\"quantity\":1}]}";

    static Stream<Arguments> badRequests() {
        String key = "bad-input";
        String manyLines = IntStream.range(0, 101).mapToObj(i -> "{\"sku\":\"SKU-" + i + "\",\"quantity\":1}")
                .collect(Collectors.joining(",", "{\"customerId\":\"alice\",\"items\":[", "]}"));
        String huge = "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"SKU-PEN\",\"quantity\":1}],\"note\":\""
                + "x".repeat(70 * 1024) + "\"}";
        return Stream.of(
                bad("missing Idempotency-Key", null, VALID, "application/json", 400),
                bad("blank Idempotency-Key", " ", VALID, "application/json", 400),
                bad("Idempotency-Key over 255 characters", "k".repeat(256), VALID, "application/json", 400),
                bad("malformed JSON", key, "{\"customerId\":", "application/json", 400),
                bad("empty body", key, "", "application/json", 400),
                bad("JSON array instead of object", key, "[]", "application/json", 400),
                bad("missing customerId", key, "{\"items\":[{\"sku\":\"SKU-PEN\",\"quantity\":1}]}", "application/json", 400),
                bad("blank customerId", key, "{\"customerId\":\" \",\"items\":[{\"sku\":\"SKU-PEN\",\"quantity\":1}]}", "application/json", 400),
                bad("missing items", key, "{\"customerId\":\"alice\"}", "application/json", 400),
                bad("no item lines", key, "{\"customerId\":\"alice\",\"items\":[]}", "application/json", 400),
                bad("101 item lines", key, manyLines, "application/json", 400),
                bad("quantity 0", key, line("0"), "application/json", 400),
                bad("negative quantity", key, line("-1"), "application/json", 400),
                bad("quantity above 1000", key, line("1001"), "application/json", 400),
                bad("fractional quantity", key, line("1.5"), "application/json", 400),
                bad("quantity as a string", key, line("\"2\""), "application/json", 400),
                bad("null quantity", key, line("null"), "application/json", 400),
                bad("missing sku", key, "{\"customerId\":\"alice\",\"items\":[{\"quantity\":1}]}", "application/json", 400),
                bad("blank sku", key, "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"\",\"quantity\":1}]}", "application/json", 400),
                bad("unknown flow", key, "{\"customerId\":\"alice\",\"flow\":\"SAGA\",\"items\":[{\"sku\":\"SKU-PEN\",\"quantity\":1}]}", "application/json", 400),
                bad("the same sku on two lines", key, "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"SKU-PEN\",\"quantity\":1},{\"sku\":\"SKU-PEN\",\"quantity\":2}]}", "application/json", 400),
                bad("unknown field", key, "{\"customerId\":\"alice\",\"coupon\":\"FREE\",\"items\":[{\"sku\":\"SKU-PEN\",\"quantity\":1}]}", "application/json", 400),
                bad("body over 64 KiB", key, huge, "application/json", 413),
                bad("plain-text content type", key, VALID, "text/plain", 415),
                bad("unknown customer", key, "{\"customerId\":\"nobody-" + UUID.randomUUID() + "\",\"items\":[{\"sku\":\"SKU-PEN\",\"quantity\":1}]}", "application/json", 422),
                bad("unknown sku", key, "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"SKU-NOPE\",\"quantity\":1}]}", "application/json", 422));
    }

    @ParameterizedTest(name = "{0} → {4}")
    @MethodSource("badRequests")
    void badRequestIsRefusedWithAProblemAndPersistsNothing(String description, String key, String body,
                                                           String contentType, int expectedStatus) {
        long ordersBefore = orderCount();
        String uniqueKey = key == null || key.isBlank() || key.length() > 255 ? key : key + "-" + UUID.randomUUID();

        var response = client.post(Service.ORDER, "/orders", body, contentType, uniqueKey);

        assertThat(response.status()).as(description + ": " + response.body()).isEqualTo(expectedStatus);
        assertThat(response.header("Content-Type")).as(description).startsWith("application/problem+json");
        assertThat(response.json().path("type").asString()).as(description).startsWith("https://");
        assertThat(orderCount()).as(description + " must persist nothing").isEqualTo(ordersBefore);
        if (uniqueKey != null && !uniqueKey.isBlank() && uniqueKey.length() <= 255 && expectedStatus != 415) {
            // A refused request leaves its key free: the same key now places a valid order.
            assertThat(client.post(Service.ORDER, "/orders", VALID, "application/json", uniqueKey).status()).isEqualTo(202);
        }
    }

    @Test
    void replayWithTheSameKeyAndBodyReturnsTheOriginalResponse() {
        String key = "replay-" + UUID.randomUUID();
        var first = client.placeOrder(key, "alice", Map.of("SKU-PEN", 3), "CHOREOGRAPHY");
        assertThat(first.status()).isEqualTo(202);
        UUID orderId = UUID.fromString(first.json().path("orderId").asString());
        client.awaitTerminal(orderId);

        var replay = client.placeOrder(key, "alice", Map.of("SKU-PEN", 3), "CHOREOGRAPHY");

        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.json()).isEqualTo(first.json()); // the original PENDING response, not the current state
        assertThat(replay.header("Location")).isEqualTo(first.header("Location")).endsWith("/orders/" + orderId);
        assertThat(client.all(Service.ORDER, "/orders?customerId=alice").stream()
                .filter(o -> o.path("orderId").asString().equals(orderId.toString()))).hasSize(1);
    }

    @Test
    void sameKeyWithADifferentBodyIsRefused() {
        String key = "reuse-" + UUID.randomUUID();
        assertThat(client.placeOrder(key, "alice", Map.of("SKU-PEN", 1), null).status()).isEqualTo(202);
        long ordersBefore = orderCount();

        var reused = client.placeOrder(key, "alice", Map.of("SKU-PEN", 2), null);

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(orderCount()).isEqualTo(ordersBefore);
    }

    private static long orderCount() {
        return client.get(Service.ORDER, "/orders?size=1").json().path("page").path("totalElements").asLong();
    }

    private static String line(String quantity) {
        return "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"SKU-PEN\",\"quantity\":" + quantity + "}]}";
    }

    private static Arguments bad(String description, String key, String body, String contentType, int status) {
        return Arguments.of(description, key, body, contentType, status);
    }
}
