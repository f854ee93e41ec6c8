package dev.sagaplatform.cli.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tool against a stand-in shop on real HTTP that announces each saga's end on a real Kafka
 * broker, as order-service does: the counts add up, every order is sent as the schedule says, the
 * JSON holds the same figures, and what the shop never finishes is reported as unfinished. No timing
 * is asserted: only what was sent, answered and seen.
 */
@Tag(RealInfrastructure.TAG)
class LoadRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String kafka;

    @TempDir
    Path folder;

    private HttpServer shop;
    private KafkaProducer<String, String> producer;
    private final List<JsonNode> orders = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> customerPuts = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> productPuts = new ConcurrentHashMap<>();
    private final Set<String> authorizations = ConcurrentHashMap.newKeySet();
    private final AtomicInteger posts = new AtomicInteger();
    /** Every n-th order is refused with 503; every m-th accepted one never ends. */
    private volatile int refuseEvery = 0;
    private volatile int neverEndEvery = 0;

    @BeforeAll
    static void topic() throws Exception {
        kafka = TestInfrastructure.get().kafkaBootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(Topics.ORDER_EVENTS, Topics.PARTITIONS, (short) 1))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    @BeforeEach
    void startShop() throws IOException {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka), new StringSerializer(), new StringSerializer());
        shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        shop.createContext("/orders", this::order);
        shop.createContext("/customers/", exchange -> fixture(exchange, customerPuts, "creditLimit", "availableCredit"));
        shop.createContext("/products/", exchange -> fixture(exchange, productPuts, "onHand", "reserved"));
        shop.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        shop.start();
    }

    @AfterEach
    void stopShop() {
        shop.stop(0);
        producer.close();
    }

    @Test
    void sendsEveryScheduledOrderAndCountsEachAnswerAndOutcome() throws Exception {
        refuseEvery = 10;
        LoadSpec spec = new LoadSpec(40, Duration.ofSeconds(1), LoadSpec.FlowMix.MIXED, 3, 4, 2, Duration.ofSeconds(30));

        LoadResult result = run(spec);

        assertThat(result.sent()).isEqualTo(40);
        assertThat(orders).hasSize(40);
        assertThat(result.refused().overloaded()).isEqualTo(4);
        assertThat(result.refused().overloadedWithRetryAfter()).isEqualTo(4);
        assertThat(result.accepted()).isEqualTo(36);
        assertThat(result.errors()).isZero();
        assertThat(result.approved() + result.rejectedTotal()).isEqualTo(36);
        assertThat(result.rejected()).containsOnlyKeys("INSUFFICIENT_CREDIT");
        assertThat(result.unfinished()).isZero();
        assertThat(result.sagaMillis().count()).isEqualTo(36);
        assertThat(result.acceptMillis().count()).isEqualTo(36);
        assertThat(result.refusalMillis().count()).isEqualTo(4);
        assertThat(result.timeline().stream().mapToLong(LoadResult.Second::sent).sum()).isEqualTo(40);
        assertThat(result.timeline().stream().mapToLong(LoadResult.Second::ended).sum()).isEqualTo(36);

        // The orders are the schedule's: flows alternate, customers rotate, each order names distinct SKUs.
        assertThat(orders).extracting(order -> order.path("flow").asText())
                .containsOnly("CHOREOGRAPHY", "ORCHESTRATION")
                .filteredOn("CHOREOGRAPHY"::equals).hasSize(20);
        assertThat(orders).extracting(order -> order.path("customerId").asText())
                .containsOnly("load-customer-0001", "load-customer-0002", "load-customer-0003");
        assertThat(orders).allSatisfy(order -> {
            assertThat(order.path("items")).hasSize(2);
            assertThat(order.path("items").get(0).path("sku").asText()).isNotEqualTo(order.path("items").get(1).path("sku").asText());
        });
        // Fixtures went through the admin API with credentials, one PUT per customer and product.
        assertThat(customerPuts).containsOnlyKeys("load-customer-0001", "load-customer-0002", "load-customer-0003");
        assertThat(productPuts).containsOnlyKeys("LOAD-SKU-0001", "LOAD-SKU-0002", "LOAD-SKU-0003", "LOAD-SKU-0004");
        assertThat(authorizations).containsExactly("Basic " + java.util.Base64.getEncoder().encodeToString("ops:secret".getBytes(StandardCharsets.UTF_8)));
        // Topping up keeps what is in use: the stand-in reports 250 credit and 7 units in use.
        assertThat(customerPuts.get("load-customer-0001").path("creditLimit").decimalValue())
                .isEqualByComparingTo(new java.math.BigDecimal(250 + LoadFixtures.HEADROOM));
        assertThat(productPuts.get("LOAD-SKU-0001").path("onHand").asLong()).isEqualTo(7 + LoadFixtures.HEADROOM);

        Path file = folder.resolve("out/load.json");
        result.writeJson(file);
        JsonNode json = JSON.readTree(file.toFile());
        assertThat(json.path("sent").asLong()).isEqualTo(40);
        assertThat(json.path("accepted").asLong()).isEqualTo(36);
        assertThat(json.path("refused").path("overloaded").asLong()).isEqualTo(4);
        assertThat(json.path("sagaMillis").path("count").asLong()).isEqualTo(36);
        assertThat(json.path("sagaMillis").has("p99")).isTrue();
        assertThat(json.path("offered").path("rate").asDouble()).isEqualTo(40.0);
        assertThat(json.path("timeline").isArray()).isTrue();
    }

    @Test
    void reportsAcceptedOrdersThatNeverEndAsUnfinished() {
        neverEndEvery = 4;
        LoadSpec spec = new LoadSpec(20, Duration.ofSeconds(1), LoadSpec.FlowMix.CHOREOGRAPHY, 2, 2, 1, Duration.ofMillis(500));

        LoadResult result = run(spec);

        assertThat(result.sent()).isEqualTo(20);
        assertThat(result.accepted()).isEqualTo(20);
        assertThat(result.unfinished()).isEqualTo(5);
        assertThat(result.approved() + result.rejectedTotal() + result.unfinished()).isEqualTo(result.accepted());
        assertThat(orders).extracting(order -> order.path("flow").asText()).containsOnly("CHOREOGRAPHY");
    }

    @Test
    void explainsWhenTheAdminApiRefusesTheCredentials() {
        LoadTarget wrong = new LoadTarget(shopUri(), shopUri(), shopUri(), kafka, "ops", "wrong");
        LoadSpec spec = new LoadSpec(1, Duration.ofSeconds(1), LoadSpec.FlowMix.MIXED, 1, 1, 1, Duration.ZERO);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoadFixtures(wrong, HttpClient.newHttpClient()).prepare(spec))
                .isInstanceOf(LoadException.class)
                .hasMessageContaining("refused the admin credentials").hasMessageContaining("PLATFORM_ADMIN_PASSWORD");
        assertThat(orders).isEmpty();
    }

    /** Orders go to the order-service instances in turn; one that refuses connections (stopped, restarting) is skipped. */
    @Test
    void spreadsOrdersOverTheInstancesAndSkipsOneThatRefusesTheConnection() throws Exception {
        URI refusing;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            refusing = URI.create("http://127.0.0.1:" + socket.getLocalPort()); // closed again: nothing listens there
        }
        LoadTarget target = new LoadTarget(shopUri(), shopUri(), shopUri(), kafka, "ops", "secret", List.of(refusing, shopUri()));
        LoadSpec spec = new LoadSpec(20, Duration.ofSeconds(1), LoadSpec.FlowMix.CHOREOGRAPHY, 2, 2, 1, Duration.ofSeconds(30));

        LoadResult result = run(spec, target);

        assertThat(result.sent()).isEqualTo(20);
        assertThat(result.errors()).isZero();
        assertThat(result.accepted()).isEqualTo(20);
        assertThat(orders).as("each order reached the live instance exactly once").hasSize(20);
        assertThat(target.orderInstance(0)).isEqualTo(refusing);
        assertThat(target.orderInstance(1)).isEqualTo(shopUri());
    }

    private LoadResult run(LoadSpec spec) {
        return run(spec, new LoadTarget(shopUri(), shopUri(), shopUri(), kafka, "ops", "secret"));
    }

    private LoadResult run(LoadSpec spec, LoadTarget target) {
        HttpClient http = HttpClient.newHttpClient();
        new LoadFixtures(target, http).prepare(spec);
        return new LoadRun(spec, target, http, new PrintStream(new ByteArrayOutputStream()), false).run();
    }

    private URI shopUri() {
        return URI.create("http://127.0.0.1:" + shop.getAddress().getPort());
    }

    private void order(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        orders.add(body);
        int number = posts.incrementAndGet();
        if (refuseEvery > 0 && number % refuseEvery == 0) {
            exchange.getResponseHeaders().add("Retry-After", "1");
            respond(exchange, 503, "{\"title\":\"at capacity\"}");
            return;
        }
        UUID orderId = UUID.randomUUID();
        respond(exchange, 202, "{\"orderId\":\"" + orderId + "\",\"status\":\"PENDING\"}");
        if (neverEndEvery > 0 && number % neverEndEvery == 0) {
            return;
        }
        boolean approved = "CHOREOGRAPHY".equals(body.path("flow").asText());
        String type = approved ? "OrderApproved" : "OrderRejected";
        String payload = approved ? "{\"orderId\":\"" + orderId + "\",\"customerId\":\"c\",\"total\":1.00}"
                : "{\"orderId\":\"" + orderId + "\",\"customerId\":\"c\",\"reason\":\"INSUFFICIENT_CREDIT\",\"reasonDetail\":\"x\"}";
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.ORDER_EVENTS, orderId.toString(), payload);
        record.headers().add(Headers.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
        record.headers().add(Headers.EVENT_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }

    private void fixture(HttpExchange exchange, Map<String, JsonNode> puts, String totalField, String inUseOrFreeField) throws IOException {
        String id = exchange.getRequestURI().getPath().replaceFirst("^/[a-z]+/", "");
        if ("GET".equals(exchange.getRequestMethod())) {
            String body = totalField.equals("creditLimit")
                    ? "{\"customerId\":\"" + id + "\",\"creditLimit\":1000.00,\"availableCredit\":750.00}"
                    : "{\"sku\":\"" + id + "\",\"onHand\":10,\"available\":3,\"reserved\":7}";
            respond(exchange, 200, body);
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.equals("Basic " + java.util.Base64.getEncoder()
                .encodeToString("ops:secret".getBytes(StandardCharsets.UTF_8)))) {
            respond(exchange, 401, "{\"title\":\"Unauthorized\"}");
            return;
        }
        authorizations.add(authorization);
        puts.put(id, JSON.readTree(exchange.getRequestBody()));
        respond(exchange, 200, "{}");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
