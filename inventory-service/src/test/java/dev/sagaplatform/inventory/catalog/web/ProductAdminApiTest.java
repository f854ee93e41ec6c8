package dev.sagaplatform.inventory.catalog.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.inventory.stock.StockReservations;
import dev.sagaplatform.inventory.stock.domain.RequestedLine;
import dev.sagaplatform.testsupport.RealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code PUT /products/{sku}} over real HTTP against real PostgreSQL. Every test works on SKUs of its own. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.admin.user=ops",
        "platform.admin.password=test-secret",
        "platform.messaging.retention.enabled=false"})
@RealInfrastructure
class ProductAdminApiTest {

    @Autowired
    StockReservations stock;
    @Autowired
    TransactionTemplate transactions;
    @LocalServerPort
    int port;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void changingTheCatalogueNeedsTheAdminCredentialsAndReadingDoesNot() {
        String sku = newSku();

        ResponseEntity<String> anonymous = exchange(HttpMethod.PUT, "/products/" + sku, "{\"price\": 1, \"onHand\": 1}", null, null);
        ResponseEntity<String> wrong = exchange(HttpMethod.PUT, "/products/" + sku, "{\"price\": 1, \"onHand\": 1}", "ops", "guess");

        assertProblem(anonymous, 401, "unauthorized");
        assertThat(anonymous.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Basic realm=\"inventory-service admin\"");
        assertProblem(wrong, 401, "unauthorized");
        assertThat(get("/products/" + sku).getStatusCode().value()).isEqualTo(404);
        assertThat(get("/products").getStatusCode().value()).isEqualTo(200);
        assertThat(get("/reservations/" + UUID.randomUUID()).getStatusCode().value()).isEqualTo(404);
        assertThat(get("/actuator/health/readiness").getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void aNewProductGetsAllItsStockAvailable() {
        String sku = newSku();

        ResponseEntity<String> created = put(sku, "{\"price\": 1.50, \"onHand\": 1000, \"name\": \"Load product\"}");

        assertThat(created.getStatusCode().value()).as(created.getBody()).isEqualTo(201);
        assertThat(created.getHeaders().getLocation()).hasToString("/products/" + sku);
        assertProduct(json.readTree(created.getBody()), "Load product", "1.50", 1000, 1000, 0);
        assertProduct(json.readTree(get("/products/" + sku).getBody()), "Load product", "1.50", 1000, 1000, 0);
        assertThat(json.readTree(put(newSku(), "{\"price\": 0.01, \"onHand\": 0}").getBody()).get("onHand").intValue()).isZero();
    }

    @Test
    void aNewProductNeedsPriceAndOnHand() {
        String sku = newSku();

        ResponseEntity<String> incomplete = put(sku, "{\"onHand\": 10}");

        assertProblem(incomplete, 400, "invalid-field");
        assertThat(json.readTree(incomplete.getBody()).get("errors").get(0).get("field").stringValue()).isEqualTo("price");
        assertThat(get("/products/" + sku).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void restockingSetsTheTotalOnHandAndKeepsWhatOrdersHold() {
        String sku = productWithReserved(10, 3);

        ResponseEntity<String> restocked = put(sku, "{\"onHand\": 25}");
        assertThat(restocked.getStatusCode().value()).as(restocked.getBody()).isEqualTo(200);
        assertThat(restocked.getHeaders().getLocation()).isNull();
        assertProduct(json.readTree(restocked.getBody()), sku, "1.50", 25, 22, 3);

        ResponseEntity<String> repriced = put(sku, "{\"price\": 2.00, \"name\": \"Renamed\"}");
        assertProduct(json.readTree(repriced.getBody()), "Renamed", "2.00", 25, 22, 3);

        assertProduct(json.readTree(put(sku, "{\"onHand\": 3}").getBody()), "Renamed", "2.00", 3, 0, 3);
    }

    @Test
    void onHandBelowWhatOrdersHoldIsRefusedAndChangesNothing() {
        String sku = productWithReserved(10, 3);

        ResponseEntity<String> refused = put(sku, "{\"onHand\": 2, \"price\": 9.99}");

        assertProblem(refused, 422, "on-hand-below-reserved");
        assertThat(json.readTree(refused.getBody()).get("reserved").intValue()).isEqualTo(3);
        assertProduct(json.readTree(get("/products/" + sku).getBody()), sku, "1.50", 10, 7, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"price\": \"1.50\", \"onHand\": 1}",
            "{\"price\": 1.505, \"onHand\": 1}",
            "{\"price\": 0, \"onHand\": 1}",
            "{\"price\": 1000000000.01, \"onHand\": 1}",
            "{\"price\": 1, \"onHand\": 2.5}",
            "{\"price\": 1, \"onHand\": 1.0}",
            "{\"price\": 1, \"onHand\": \"7\"}",
            "{\"price\": 1, \"onHand\": -1}",
            "{\"price\": 1, \"onHand\": 1000000001}",
            "{\"price\": 1, \"onHand\": 1, \"name\": \"\"}"})
    void anInvalidFieldIsA400ProblemAndCreatesNothing(String body) {
        String sku = newSku();

        assertProblem(put(sku, body), 400, "invalid-field");
        assertThat(get("/products/" + sku).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void unknownFieldsNonJsonAndBadSkusAreRefused() {
        assertProblem(put(newSku(), "{\"price\": 1, \"onHand\": 1, \"stock\": 5}"), 400, "unknown-field");
        assertProblem(put(newSku(), "{\"price\": 1, \"onHand\": 1} {}"), 400, "malformed-json");
        assertProblem(put(newSku(), "[]"), 400, "malformed-json");
        assertProblem(put(newSku(), "price=1"), 400, "malformed-json");
        assertProblem(put("BAD*SKU", "{\"price\": 1, \"onHand\": 1}"), 400, "invalid-parameter");
        assertProblem(put("S".repeat(65), "{\"price\": 1, \"onHand\": 1}"), 400, "invalid-parameter");

        ResponseEntity<String> text = exchange(HttpMethod.PUT, "/products/" + newSku(), "{\"price\": 1, \"onHand\": 1}", "ops", "test-secret",
                MediaType.TEXT_PLAIN);
        assertThat(text.getStatusCode().value()).isEqualTo(415);
        assertThat(text.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aRestockWaitsForTheReservationHoldingTheProductRow() throws Exception {
        String sku = productWithReserved(10, 0);
        CompletableFuture<ResponseEntity<String>> restock = new CompletableFuture<>();

        transactions.executeWithoutResult(status -> {
            // A reservation holds the product row from its lock until its transaction commits.
            stock.reserve(UUID.randomUUID(), List.of(new RequestedLine(sku, 2)));
            CompletableFuture.runAsync(() -> restock.complete(put(sku, "{\"onHand\": 10}")));
            assertThat(restock).as("the PUT waits for the reservation").failsWithin(Duration.ofMillis(700));
        });

        assertProduct(json.readTree(restock.get().getBody()), sku, "1.50", 10, 8, 2);
    }

    private String productWithReserved(int onHand, int reserved) {
        String sku = newSku();
        assertThat(put(sku, "{\"price\": 1.50, \"onHand\": " + onHand + "}").getStatusCode().value()).isEqualTo(201);
        if (reserved > 0) {
            stock.reserve(UUID.randomUUID(), List.of(new RequestedLine(sku, reserved)));
        }
        return sku;
    }

    private static String newSku() {
        return "ADMIN-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private void assertProduct(JsonNode product, String name, String price, int onHand, int available, int reserved) {
        assertThat(product.get("name").stringValue()).isEqualTo(name);
        assertThat(product.get("price").decimalValue()).isEqualByComparingTo(price);
        assertThat(product.get("onHand").intValue()).isEqualTo(onHand);
        assertThat(product.get("available").intValue()).isEqualTo(available);
        assertThat(product.get("reserved").intValue()).isEqualTo(reserved);
    }

    private void assertProblem(ResponseEntity<String> response, int status, String type) {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = json.readTree(response.getBody());
        assertThat(problem.get("type").stringValue()).isEqualTo("https://saga-platform.dev/problems/" + type);
        assertThat(problem.get("detail").stringValue()).isNotBlank();
    }

    private ResponseEntity<String> put(String sku, String body) {
        return exchange(HttpMethod.PUT, "/products/" + sku, body, "ops", "test-secret");
    }

    private ResponseEntity<String> get(String path) {
        return exchange(HttpMethod.GET, path, null, null, null);
    }

    private ResponseEntity<String> exchange(HttpMethod method, String path, String body, String user, String password) {
        return exchange(method, path, body, user, password, MediaType.APPLICATION_JSON);
    }

    private ResponseEntity<String> exchange(HttpMethod method, String path, String body, String user, String password,
                                            MediaType contentType) {
        RestClient.RequestBodySpec request = RestClient.create().method(method).uri("http://localhost:" + port + path);
        if (user != null) {
            request.headers(headers -> headers.setBasicAuth(user, password));
        }
        if (body != null) {
            request.contentType(contentType).body(body);
        }
        return request.exchange((req, response) -> ResponseEntity.status(response.getStatusCode())
                .headers(response.getHeaders())
                .body(new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
    }
}
