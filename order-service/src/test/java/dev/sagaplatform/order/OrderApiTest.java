package dev.sagaplatform.order;

import static dev.sagaplatform.order.support.Api.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.order.idempotency.Fingerprint;
import dev.sagaplatform.order.idempotency.IdempotencyKeys;
import dev.sagaplatform.order.orders.domain.OrderRequest;
import dev.sagaplatform.order.support.Api;
import dev.sagaplatform.order.support.Api.Response;
import dev.sagaplatform.order.support.UpstreamStub;
import dev.sagaplatform.testsupport.RealInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The REST API end to end in one Spring context: real HTTP in, real PostgreSQL, and real HTTP out to
 * a stub of inventory- and payment-service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // Long enough for a test to park a customer lookup while it sends concurrent requests.
        "payment.read-timeout=10s",
        "inventory.read-timeout=1s",
        "platform.messaging.retention.enabled=false",
        // No saga runs here, so every order stays PENDING: room for all of them at the door (AdmissionTest covers it).
        // Every order asks the stubs, whose faults and holds these tests control.
        "inventory.price-cache-ttl=0s",
        "payment.customer-cache-ttl=0s",
        "orders.admission.min-in-flight=1000",
        "platform.admin.user=ops",
        "platform.admin.password=test-secret"})
@RealInfrastructure
class OrderApiTest {

    static final UpstreamStub upstream = UpstreamStub.start()
            .customer("customer-1")
            .customer("customer-2")
            .customer("slow-customer")
            .product("SKU-1", "10.00")
            .product("SKU-2", "2.50")
            .product("SKU-3", "19.99");

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("inventory.base-url", upstream::baseUrl);
        registry.add("payment.base-url", upstream::baseUrl);
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    IdempotencyKeys idempotencyKeys;
    @Autowired
    MeterRegistry meters;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(port);
    }

    @AfterEach
    void healUpstream() {
        upstream.heal();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @Nested
    class PlacingAnOrder {

        @Test
        void acceptsAnOrderPricedFromTheCatalogueAndStartsItsSaga() {
            double placedBefore = placedCounter("CHOREOGRAPHY");

            Response response = api.placeOrder(newKey(), JSON, order("customer-1", "SKU-3", 3, "SKU-2", 2));

            assertThat(response.status()).as(response.toString()).isEqualTo(202);
            JsonNode body = response.json();
            String orderId = body.path("orderId").asString();
            assertThat(response.header("Location")).isEqualTo("/orders/" + orderId);
            assertThat(response.header("Content-Type")).startsWith("application/json");
            assertThat(fieldNames(body)).containsExactly("orderId", "status", "customerId", "flow", "total", "items", "createdAt");
            assertThat(body.path("status").asString()).isEqualTo("PENDING");
            assertThat(body.path("customerId").asString()).isEqualTo("customer-1");
            assertThat(body.path("flow").asString()).isEqualTo("CHOREOGRAPHY");
            assertThat(body.path("total").decimalValue()).isEqualByComparingTo("64.97");
            // Raw text, because money must be written with its cents ("5.00", not 5.0).
            assertThat(response.body()).contains(
                    "[{\"sku\":\"SKU-3\",\"quantity\":3,\"unitPrice\":19.99,\"lineTotal\":59.97},"
                            + "{\"sku\":\"SKU-2\",\"quantity\":2,\"unitPrice\":2.50,\"lineTotal\":5.00}]");

            Map<String, Object> outbox = jdbc.sql("select type, aggregatetype, payload::text as payload from outbox "
                    + "where aggregateid = ?").param(orderId).query().singleRow();
            assertThat(outbox).containsEntry("type", "OrderCreated").containsEntry("aggregatetype", "order");
            JsonNode event = Api.json((String) outbox.get("payload"));
            assertThat(event.path("customerId").asString()).isEqualTo("customer-1");
            assertThat(event.path("flow").asString()).isEqualTo("CHOREOGRAPHY");
            assertThat(event.path("total").decimalValue()).isEqualByComparingTo("64.97");
            assertThat(event.path("items").get(0).path("unitPrice").decimalValue()).isEqualByComparingTo("19.99");
            assertThat(event.path("createdAt").asString()).isEqualTo(body.path("createdAt").asString());
            assertThat(placedCounter("CHOREOGRAPHY")).isEqualTo(placedBefore + 1);
        }

        @Test
        void storedOrderReadsBackAsPlaced() {
            Response placed = api.placeOrder(newKey(), JSON, order("customer-1", "SKU-1", 1));

            Response read = api.get(placed.header("Location"));

            assertThat(read.status()).isEqualTo(200);
            JsonNode order = read.json();
            assertThat(fieldNames(order)).containsExactly("orderId", "customerId", "status", "reason", "reasonDetail",
                    "flow", "total", "items", "createdAt", "updatedAt");
            assertThat(order.path("status").asString()).isEqualTo("PENDING");
            assertThat(order.path("reason").isNull()).isTrue();
            assertThat(order.path("items")).isEqualTo(placed.json().path("items"));
            assertThat(order.path("createdAt")).isEqualTo(placed.json().path("createdAt"));
            assertThat(order.path("total").decimalValue()).isEqualByComparingTo("10.00");
        }

        @Test
        void takesTheFlowTheClientAsksFor() {
            Response response = api.placeOrder(newKey(), JSON, order("customer-1", "ORCHESTRATION", "SKU-1", 1));

            assertThat(response.status()).isEqualTo(202);
            assertThat(response.json().path("flow").asString()).isEqualTo("ORCHESTRATION");
            assertThat(jdbc.sql("select flow from orders where id = ?::uuid").param(response.json().path("orderId").asString())
                    .query(String.class).single()).isEqualTo("ORCHESTRATION");
        }

        @Test
        void acceptsMoreThanIsInStockBecauseTheSagaDecides() {
            Response response = api.placeOrder(newKey(), JSON, order("customer-2", "SKU-1", 1000));

            assertThat(response.status()).isEqualTo(202);
            assertThat(response.json().path("total").decimalValue()).isEqualByComparingTo("10000.00");
        }
    }

    @Nested
    class RejectingBadInput {

        @ParameterizedTest(name = "{0} -> {4} {5}")
        @MethodSource("dev.sagaplatform.order.OrderApiTest#badRequests")
        void answersAProblemAndStoresNothing(String name, String key, String contentType, String body, int status,
                                             String problemType, boolean chunked) {
            Counts before = counts();
            int upstreamCallsBefore = upstream.requestCount();

            Response response = chunked ? api.placeOrderChunked(key, body) : api.placeOrder(key, contentType, body);

            assertThat(response.status()).as(response.toString()).isEqualTo(status);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.problemType()).as(response.toString()).isEqualTo(problemType);
            assertThat(response.json().path("status").asInt()).isEqualTo(status);
            assertThat(response.json().path("title").asString()).isNotBlank();
            assertThat(response.json().path("detail").asString()).isNotBlank();
            assertThat(counts()).isEqualTo(before);
            if (key != null) {
                assertThat(keyExists(key)).isFalse();
            }
            if (status != 422) {
                // Refused before asking other services: a bad request costs them nothing.
                assertThat(upstream.requestCount()).isEqualTo(upstreamCallsBefore);
            }
        }

        @Test
        void duplicateSkuProblemSaysWhichSku() {
            Response response = api.placeOrder(newKey(), JSON, order("customer-1", "SKU-1", 1, "SKU-2", 1, "SKU-1", 2));

            assertThat(response.problemType()).isEqualTo("duplicate-sku");
            assertThat(response.json().path("detail").asString()).contains("SKU-1").contains("one line");
            assertThat(response.json().path("skus").toString()).isEqualTo("[\"SKU-1\"]");
        }

        @Test
        void invalidFieldProblemListsEveryField() {
            Response response = api.placeOrder(newKey(), JSON,
                    "{\"customerId\":\"\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":0},{\"quantity\":1}]}");

            assertThat(response.problemType()).isEqualTo("invalid-field");
            assertThat(response.json().path("errors").findValuesAsString("field"))
                    .containsExactly("customerId", "items[0].quantity", "items[1].sku");
        }

        @Test
        void unknownSkuProblemListsTheUnknownOnes() {
            Response response = api.placeOrder(newKey(), JSON, order("customer-1", "SKU-1", 1, "NOPE-2", 1, "NOPE-1", 1));

            assertThat(response.status()).isEqualTo(422);
            assertThat(response.json().path("skus").toString()).isEqualTo("[\"NOPE-1\",\"NOPE-2\"]");
        }

        @Test
        void otherMethodsAndPathsAreProblemsToo() {
            Response put = api.send("PUT", "/orders");
            Response nowhere = api.get("/nowhere");
            Response textOnly = api.get("/orders", "Accept", "text/plain");

            assertThat(put.status()).isEqualTo(405);
            assertThat(put.problemType()).isEqualTo("method-not-allowed");
            assertThat(nowhere.status()).isEqualTo(404);
            assertThat(nowhere.problemType()).isEqualTo("not-found");
            assertThat(textOnly.status()).as(textOnly.toString()).isEqualTo(406);
        }
    }

    static Stream<Arguments> badRequests() {
        String valid = order("customer-1", "SKU-1", 1);
        String hundredAndOneLines = "{\"customerId\":\"customer-1\",\"items\":["
                + IntStream.range(0, 101).mapToObj(i -> "{\"sku\":\"S" + i + "\",\"quantity\":1}").collect(Collectors.joining(","))
                + "]}";
        String oversized = "{\"customerId\":\"customer-1\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1}],\"flow\":\"CHOREOGRAPHY\""
                + " ".repeat(64 * 1024) + "}";
        return Stream.of(
                bad("missing Idempotency-Key", null, JSON, valid, 400, "missing-idempotency-key"),
                bad("blank Idempotency-Key", "   ", JSON, valid, 400, "missing-idempotency-key"),
                bad("Idempotency-Key of 256 characters", "k".repeat(256), JSON, valid, 400, "invalid-idempotency-key"),
                bad("text/plain body", newKey(), "text/plain", valid, 415, "unsupported-media-type"),
                bad("no Content-Type", newKey(), null, valid, 415, "unsupported-media-type"),
                bad("XML body", newKey(), "application/xml", "<order/>", 415, "unsupported-media-type"),
                bad("body over 64 KiB", newKey(), JSON, oversized, 413, "payload-too-large"),
                Arguments.of("body over 64 KiB without Content-Length", newKey(), JSON, oversized, 413, "payload-too-large", true),
                bad("truncated JSON", newKey(), JSON, "{\"customerId\":", 400, "malformed-json"),
                bad("empty body", newKey(), JSON, "", 400, "malformed-json"),
                bad("JSON array instead of an object", newKey(), JSON, "[" + valid + "]", 400, "malformed-json"),
                bad("JSON null", newKey(), JSON, "null", 400, "malformed-json"),
                bad("content after the object", newKey(), JSON, valid + " {}", 400, "malformed-json"),
                bad("field given twice", newKey(), JSON,
                        "{\"customerId\":\"customer-1\",\"customerId\":\"customer-2\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1}]}",
                        400, "malformed-json"),
                bad("unknown top-level field", newKey(), JSON,
                        "{\"customerId\":\"customer-1\",\"coupon\":\"FREE\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1}]}",
                        400, "unknown-field"),
                bad("client-supplied price on a line", newKey(), JSON,
                        "{\"customerId\":\"customer-1\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1,\"price\":0.01}]}",
                        400, "unknown-field"),
                bad("fractional quantity 1.5", newKey(), JSON, line("1.5"), 400, "invalid-field"),
                bad("quantity 1.0", newKey(), JSON, line("1.0"), 400, "invalid-field"),
                bad("quantity 1e2", newKey(), JSON, line("1e2"), 400, "invalid-field"),
                bad("quantity as a string", newKey(), JSON, line("\"2\""), 400, "invalid-field"),
                bad("quantity as a boolean", newKey(), JSON, line("true"), 400, "invalid-field"),
                bad("quantity null", newKey(), JSON, line("null"), 400, "invalid-field"),
                bad("quantity missing", newKey(), JSON,
                        "{\"customerId\":\"customer-1\",\"items\":[{\"sku\":\"SKU-1\"}]}", 400, "invalid-field"),
                bad("quantity 0", newKey(), JSON, line("0"), 400, "invalid-field"),
                bad("negative quantity", newKey(), JSON, line("-3"), 400, "invalid-field"),
                bad("quantity 1001", newKey(), JSON, line("1001"), 400, "invalid-field"),
                bad("quantity beyond the integer range", newKey(), JSON, line("99999999999"), 400, "invalid-field"),
                bad("items missing", newKey(), JSON, "{\"customerId\":\"customer-1\"}", 400, "invalid-field"),
                bad("no lines", newKey(), JSON, "{\"customerId\":\"customer-1\",\"items\":[]}", 400, "invalid-field"),
                bad("101 lines", newKey(), JSON, hundredAndOneLines, 400, "invalid-field"),
                bad("items as an object", newKey(), JSON,
                        "{\"customerId\":\"customer-1\",\"items\":{\"sku\":\"SKU-1\",\"quantity\":1}}", 400, "invalid-field"),
                bad("null line", newKey(), JSON, "{\"customerId\":\"customer-1\",\"items\":[null]}", 400, "invalid-field"),
                bad("blank sku", newKey(), JSON, order("customer-1", " ", 1), 400, "invalid-field"),
                bad("sku of 65 characters", newKey(), JSON, order("customer-1", "S".repeat(65), 1), 400, "invalid-field"),
                bad("sku as a number", newKey(), JSON,
                        "{\"customerId\":\"customer-1\",\"items\":[{\"sku\":42,\"quantity\":1}]}", 400, "invalid-field"),
                bad("customerId missing", newKey(), JSON, "{\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1}]}", 400, "invalid-field"),
                bad("blank customerId", newKey(), JSON, order("", "SKU-1", 1), 400, "invalid-field"),
                bad("customerId of 101 characters", newKey(), JSON, order("c".repeat(101), "SKU-1", 1), 400, "invalid-field"),
                bad("customerId with a NUL character", newKey(), JSON, order("customer\\u0000-1", "SKU-1", 1), 400, "invalid-field"),
                bad("customerId as a number", newKey(), JSON,
                        "{\"customerId\":7,\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1}]}", 400, "invalid-field"),
                bad("unknown flow", newKey(), JSON, order("customer-1", "SAGA", "SKU-1", 1), 400, "invalid-field"),
                bad("flow in lower case", newKey(), JSON, order("customer-1", "choreography", "SKU-1", 1), 400, "invalid-field"),
                bad("flow as a number", newKey(), JSON,
                        "{\"customerId\":\"customer-1\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1}],\"flow\":0}", 400, "invalid-field"),
                bad("one SKU on two lines", newKey(), JSON, order("customer-1", "SKU-1", 1, "SKU-1", 2), 400, "duplicate-sku"),
                bad("unknown customer", newKey(), JSON, order("nobody", "SKU-1", 1), 422, "unknown-customer"),
                bad("unknown SKU", newKey(), JSON, order("customer-1", "NOPE", 1), 422, "unknown-sku"),
                bad("unknown SKU next to known ones", newKey(), JSON, order("customer-1", "SKU-1", 1, "NOPE", 1), 422, "unknown-sku"));
    }

    @Nested
    class IdempotencyKey {

        @Test
        void replayAnswersTheOriginalResponseEvenAfterTheOrderChanged() {
            String key = newKey();
            String body = order("customer-1", "SKU-1", 2);
            Response first = api.placeOrder(key, JSON, body);
            String orderId = first.json().path("orderId").asString();
            jdbc.sql("update orders set status = 'APPROVED', updated_at = now() where id = ?::uuid").param(orderId).update();

            Response replay = api.placeOrder(key, JSON, body);

            assertThat(replay.status()).isEqualTo(202);
            assertThat(replay.body()).isEqualTo(first.body());
            assertThat(replay.header("Location")).isEqualTo(first.header("Location"));
            assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(first.header("Idempotent-Replayed")).isNull();
            assertThat(api.get("/orders/" + orderId).json().path("status").asString()).isEqualTo("APPROVED");
            assertThat(ordersWithKey(key)).isEqualTo(1);
            assertThat(outboxRows(orderId)).isEqualTo(1);
        }

        @Test
        void sameRequestWrittenDifferentlyIsAReplay() {
            String key = newKey();
            Response first = api.placeOrder(key, JSON, order("customer-1", "SKU-1", 1, "SKU-2", 2));

            Response replay = api.placeOrder(key, "application/json; charset=UTF-8", """
                    {
                      "flow": "CHOREOGRAPHY",
                      "items": [ {"quantity": 2, "sku": "SKU-2"}, {"sku": "SKU-1", "quantity": 1} ],
                      "customerId": "customer-1"
                    }
                    """);

            assertThat(replay.status()).isEqualTo(202);
            assertThat(replay.body()).isEqualTo(first.body());
        }

        @Test
        void sameKeyWithADifferentRequestIsRefused() {
            String key = newKey();
            Response first = api.placeOrder(key, JSON, order("customer-1", "SKU-1", 1));
            Counts before = counts();

            Response other = api.placeOrder(key, JSON, order("customer-1", "SKU-1", 2));

            assertThat(other.status()).isEqualTo(422);
            assertThat(other.problemType()).isEqualTo("idempotency-key-reused");
            assertThat(counts()).isEqualTo(before);
            assertThat(api.placeOrder(key, JSON, order("customer-1", "SKU-1", 1)).body()).isEqualTo(first.body());
        }

        @Test
        void requestsArrivingWhileTheFirstIsProcessedGet409() throws Exception {
            String key = newKey();
            String body = order("slow-customer", "SKU-1", 1);
            UpstreamStub.Hold hold = upstream.hold("slow-customer");
            CompletableFuture<Response> first = api.placeOrderAsync(key, body);
            assertThat(hold.awaitArrival(Duration.ofSeconds(20))).as("first request reached the customer lookup").isTrue();

            List<Response> during = new ArrayList<>();
            for (CompletableFuture<Response> request : List.of(api.placeOrderAsync(key, body), api.placeOrderAsync(key, body),
                    api.placeOrderAsync(key, body))) {
                during.add(request.get(20, TimeUnit.SECONDS));
            }
            Response differentBody = api.placeOrder(key, JSON, order("slow-customer", "SKU-1", 5));
            hold.release();
            Response firstResponse = first.get(20, TimeUnit.SECONDS);

            assertThat(firstResponse.status()).as(firstResponse.toString()).isEqualTo(202);
            assertThat(during).allSatisfy(response -> {
                assertThat(response.status()).as(response.toString()).isEqualTo(409);
                assertThat(response.problemType()).isEqualTo("request-in-progress");
                assertThat(response.header("Retry-After")).isEqualTo("1");
            });
            assertThat(differentBody.status()).isEqualTo(422);
            assertThat(ordersWithKey(key)).isEqualTo(1);
            assertThat(api.placeOrder(key, JSON, body).body()).isEqualTo(firstResponse.body());
        }

        @Test
        void simultaneousRequestsWithOneKeyPlaceOneOrder() throws Exception {
            String key = newKey();
            String body = order("customer-2", "SKU-2", 1);
            // The winner of the claim is held at the customer lookup, so every other request meets its claim in progress.
            UpstreamStub.Hold hold = upstream.hold("customer-2");

            List<CompletableFuture<Response>> requests = IntStream.range(0, 6)
                    .mapToObj(i -> api.placeOrderAsync(key, body)).toList();
            assertThat(hold.awaitArrival(Duration.ofSeconds(20))).as("the winner reached the customer lookup").isTrue();
            // The five losers are answered while the winner is still held; only then is it let go.
            await().atMost(Duration.ofSeconds(20)).until(() -> requests.stream().filter(CompletableFuture::isDone).count() == 5);
            hold.release();
            List<Response> responses = new ArrayList<>();
            for (CompletableFuture<Response> request : requests) {
                responses.add(request.get(30, TimeUnit.SECONDS));
            }

            List<Response> placed = responses.stream()
                    .filter(r -> r.status() == 202 && r.header("Idempotent-Replayed") == null).toList();
            assertThat(placed).hasSize(1);
            assertThat(responses).filteredOn(r -> r.status() == 409).as("every loser met the claim in progress").hasSize(5);
            assertThat(ordersWithKey(key)).isEqualTo(1);
            assertThat(ordersOf("customer-2", "SKU-2")).isEqualTo(1);
        }

        @Test
        void rejectedRequestLeavesTheKeyFreeForAFixedRequest() {
            String key = newKey();

            Response rejected = api.placeOrder(key, JSON, order("customer-1", "NOPE", 1));
            assertThat(rejected.status()).isEqualTo(422);
            assertThat(keyExists(key)).isFalse();

            Response fixed = api.placeOrder(key, JSON, order("customer-1", "SKU-1", 1));
            assertThat(fixed.status()).isEqualTo(202);
            assertThat(ordersWithKey(key)).isEqualTo(1);
        }

        @Test
        void abandonedClaimIsTakenOverAfterTheLockTimeout() {
            String key = newKey();
            // What a request that crashed after claiming the key leaves behind.
            jdbc.sql("""
                    insert into idempotency_key (idempotency_key, fingerprint, state, lock_token, created_at, expires_at)
                    values (?, ?, 'IN_PROGRESS', ?, now() - interval '31 seconds', now() + interval '1 day')
                    """).params(key, "0".repeat(64), UUID.randomUUID()).update();

            Response response = api.placeOrder(key, JSON, order("customer-1", "SKU-1", 1));

            assertThat(response.status()).isEqualTo(202);
            assertThat(ordersWithKey(key)).isEqualTo(1);
        }

        @Test
        void freshClaimIsRespectedWhoeverHoldsIt() {
            String key = newKey();
            // Claimed a moment ago, for example by another instance of this service.
            String fingerprint = Fingerprint.of(new OrderRequest("customer-1",
                    List.of(new OrderRequest.RequestedItem("SKU-1", 1)), SagaFlow.CHOREOGRAPHY).canonicalForm());
            jdbc.sql("""
                    insert into idempotency_key (idempotency_key, fingerprint, state, lock_token, created_at, expires_at)
                    values (?, ?, 'IN_PROGRESS', ?, now(), now() + interval '1 day')
                    """).params(key, fingerprint, UUID.randomUUID()).update();

            Response response = api.placeOrder(key, JSON, order("customer-1", "SKU-1", 1));

            assertThat(response.status()).isEqualTo(409);
            assertThat(response.problemType()).isEqualTo("request-in-progress");
            assertThat(ordersWithKey(key)).isZero();
        }

        @Test
        void expiredKeysAreDeletedAndThenPlaceANewOrder() {
            String expired = newKey();
            String fresh = newKey();
            String body = order("customer-1", "SKU-1", 1);
            Response first = api.placeOrder(expired, JSON, body);
            api.placeOrder(fresh, JSON, body);
            jdbc.sql("update idempotency_key set expires_at = now() - interval '1 second' where idempotency_key = ?")
                    .param(expired).update();

            assertThat(idempotencyKeys.purgeExpired()).isEqualTo(1);

            assertThat(keyExists(expired)).isFalse();
            assertThat(keyExists(fresh)).isTrue();
            Response again = api.placeOrder(expired, JSON, body);
            assertThat(again.status()).isEqualTo(202);
            assertThat(again.header("Idempotent-Replayed")).isNull();
            assertThat(again.json().path("orderId")).isNotEqualTo(first.json().path("orderId"));
        }
    }

    @Nested
    class UnavailableDependencies {

        @Test
        void inventoryErrorIs503WithRetryAfterAndStoresNothing() {
            upstream.productsAnswer(500);
            String key = newKey();
            Counts before = counts();

            Response response = api.placeOrder(key, JSON, order("customer-1", "SKU-1", 1));

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.problemType()).isEqualTo("dependency-unavailable");
            assertThat(response.header("Retry-After")).isEqualTo("5");
            assertThat(response.json().path("dependency").asString()).isEqualTo("inventory-service");
            assertThat(counts()).isEqualTo(before);
            assertThat(keyExists(key)).isFalse();
        }

        @Test
        void slowInventoryIs503AndTheSameKeyWorksOnceItRecovers() {
            upstream.productsDelay(Duration.ofMillis(1600));
            String key = newKey();
            Counts before = counts();

            Response slow = api.placeOrder(key, JSON, order("customer-1", "SKU-1", 1));
            assertThat(slow.status()).isEqualTo(503);
            assertThat(counts()).isEqualTo(before);

            upstream.heal();
            assertThat(api.placeOrder(key, JSON, order("customer-1", "SKU-1", 1)).status()).isEqualTo(202);
        }

        @Test
        void customerDirectoryErrorIs503() {
            upstream.customersAnswer(503);
            Counts before = counts();

            Response response = api.placeOrder(newKey(), JSON, order("customer-1", "SKU-1", 1));

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.json().path("dependency").asString()).isEqualTo("payment-service");
            assertThat(counts()).isEqualTo(before);
        }
    }

    @Nested
    class ReadingOrders {

        @Test
        void unknownOrderIs404AndAMalformedIdIs400() {
            Response unknown = api.get("/orders/" + UUID.randomUUID());
            Response malformed = api.get("/orders/not-a-uuid");

            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.problemType()).isEqualTo("order-not-found");
            assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.problemType()).isEqualTo("invalid-parameter");
        }

        @Test
        void listsOrdersOfACustomerNewestFirstInSpringDataPages() {
            String customer = "customer-2";
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(0, api.placeOrder(newKey(), JSON, order(customer, "SKU-3", i + 1)).json().path("orderId").asString());
            }
            long total = ordersOf(customer);
            jdbc.sql("update orders set status = 'REJECTED', reason = 'OUT_OF_STOCK', reason_detail = 'none left' "
                    + "where id = ?::uuid").param(ids.get(0)).update();

            Response firstPage = api.get("/orders?customerId=" + customer + "&page=0&size=2");
            Response rejected = api.get("/orders?customerId=" + customer + "&status=REJECTED");

            JsonNode page = firstPage.json();
            assertThat(fieldNames(page)).containsExactly("content", "page");
            assertThat(page.path("page").toString()).isEqualTo("{\"size\":2,\"number\":0,\"totalElements\":" + total
                    + ",\"totalPages\":" + (total + 1) / 2 + "}");
            assertThat(page.path("content").findValuesAsString("orderId")).containsExactly(ids.get(0), ids.get(1));
            assertThat(page.path("content").get(0).path("items").size()).isEqualTo(1);
            JsonNode onlyRejected = rejected.json().path("content");
            assertThat(onlyRejected.findValuesAsString("orderId")).containsExactly(ids.get(0));
            assertThat(onlyRejected.get(0).path("reason").asString()).isEqualTo("OUT_OF_STOCK");
            assertThat(onlyRejected.get(0).path("reasonDetail").asString()).isEqualTo("none left");
        }

        @Test
        void badListParametersAre400() {
            for (String query : List.of("size=501", "size=0", "page=-1", "size=abc", "page=1.5", "status=SHIPPED",
                    "status=approved", "page=5000000&size=500")) {
                Response response = api.get("/orders?" + query);

                assertThat(response.status()).as(query + " -> " + response).isEqualTo(400);
                assertThat(response.problemType()).isEqualTo("invalid-parameter");
            }
            assertThat(api.get("/orders?size=500").status()).isEqualTo(200);
        }
    }

    /** Every other test here places and reads orders without credentials: only /admin/** needs the platform admin. */
    @Nested
    class Administration {

        @Test
        void theDeadLetterApiNeedsThePlatformAdminAndShowsThisServicesConsumer() {
            Response anonymous = api.get("/admin/dead-letters");
            Response wrong = api.get("/admin/dead-letters", "Authorization", basic("ops", "guess"));
            Response admin = api.get("/admin/dead-letters", "Authorization", basic("ops", "test-secret"));

            assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
            assertThat(anonymous.problemType()).isEqualTo("unauthorized");
            assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Basic realm=\"order-service admin\"");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(admin.status()).as(admin.toString()).isEqualTo(200);
            assertThat(admin.json().path("consumer").asString()).isEqualTo("order-service");
            assertThat(admin.json().path("deadLetters").isArray()).isTrue();
            assertThat(api.get("/orders?size=1").status()).isEqualTo(200);
        }

        @Test
        void healthShowsTheDeadLettersComponentUpToThePlatformAdmin() {
            JsonNode deadLetters = api.get("/actuator/health", "Authorization", basic("ops", "test-secret")).json()
                    .path("components").path("deadLetters");

            assertThat(deadLetters.path("status").asString()).isEqualTo("UP");
            assertThat(deadLetters.path("details").path("total").isNumber()).isTrue();
        }

        /** Components name the service's dependencies, breakers and dead letters: the admin's business, not the shop's visitors'. */
        @Test
        void healthDetailsAreForThePlatformAdminOnlyWhileTheProbesStayOpen() {
            Response anonymous = api.get("/actuator/health");
            Response wrong = api.get("/actuator/health", "Authorization", basic("ops", "guess"));
            Response admin = api.get("/actuator/health", "Authorization", basic("ops", "test-secret"));

            assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(200);
            assertThat(fieldNames(anonymous.json())).as(anonymous.body()).containsExactlyInAnyOrder("status", "groups");
            assertThat(anonymous.json().path("status").asString()).isEqualTo("UP");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(admin.status()).as(admin.toString()).isEqualTo(200);
            assertThat(fieldNames(admin.json().path("components")))
                    .contains("circuitBreakers", "db", "deadLetters", "livenessState", "readinessState");
            for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
                Response response = api.get(probe);
                assertThat(response.status()).as(probe).isEqualTo(200);
                assertThat(response.body()).as(probe).isEqualTo("{\"status\":\"UP\"}");
            }
        }

        private static String basic(String user, String password) {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    record Counts(long orders, long lines, long outbox, long keys) {
    }

    Counts counts() {
        return new Counts(count("orders"), count("order_line"), count("outbox"), count("idempotency_key"));
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    boolean keyExists(String key) {
        return jdbc.sql("select count(*) from idempotency_key where idempotency_key = ?").param(key).query(Long.class).single() > 0;
    }

    long ordersWithKey(String key) {
        return jdbc.sql("select count(*) from orders o join idempotency_key k on k.order_id = o.id "
                + "where k.idempotency_key = ? and k.state = 'COMPLETED'").param(key).query(Long.class).single();
    }

    long ordersOf(String customerId) {
        return jdbc.sql("select count(*) from orders where customer_id = ?").param(customerId).query(Long.class).single();
    }

    long ordersOf(String customerId, String sku) {
        return jdbc.sql("select count(*) from orders o join order_line l on l.order_id = o.id "
                + "where o.customer_id = ? and l.sku = ?").params(customerId, sku).query(Long.class).single();
    }

    long outboxRows(String orderId) {
        return jdbc.sql("select count(*) from outbox where aggregateid = ?").param(orderId).query(Long.class).single();
    }

    double placedCounter(String flow) {
        var counter = meters.find("orders.placed").tag("flow", flow).counter();
        return counter == null ? 0 : counter.count();
    }

    static String newKey() {
        return UUID.randomUUID().toString();
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    static Arguments bad(String name, String key, String contentType, String body, int status, String type) {
        return Arguments.of(name, key, contentType, body, status, type, false);
    }

    /** One line of SKU-1 with the quantity written exactly as given. */
    static String line(String quantityJson) {
        return "{\"customerId\":\"customer-1\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":" + quantityJson + "}]}";
    }

    /** {@code order("c", "SKU-1", 2, "SKU-2", 1)}; an odd first argument after the customer is the flow. */
    static String order(String customerId, Object... args) {
        int start = args.length % 2 == 1 ? 1 : 0;
        StringBuilder json = new StringBuilder("{\"customerId\":\"").append(customerId).append("\",\"items\":[");
        for (int i = start; i < args.length; i += 2) {
            json.append(i > start ? "," : "").append("{\"sku\":\"").append(args[i]).append("\",\"quantity\":")
                    .append(args[i + 1]).append('}');
        }
        json.append(']');
        if (start == 1) {
            json.append(",\"flow\":\"").append(args[0]).append('"');
        }
        return json.append('}').toString();
    }
}
