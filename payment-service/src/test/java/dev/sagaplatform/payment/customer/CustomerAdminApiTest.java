package dev.sagaplatform.payment.customer;

import dev.sagaplatform.testsupport.ExposedMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.testsupport.RealInfrastructure;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code PUT /customers/{id}} over real HTTP against real PostgreSQL. Every test works on customers of its own. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.admin.user=ops",
        "platform.admin.password=test-secret"})
@RealInfrastructure
class CustomerAdminApiTest {

    private static final String ADMIN = basic("ops", "test-secret");
    private static final String PROBLEMS = "https://saga-platform.dev/problems/";

    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;
    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void settingCreditNeedsTheAdminCredentialsAndReadingDoesNot() throws Exception {
        String id = newId();

        HttpResponse<String> anonymous = put(id, "{\"creditLimit\": 100}", null);
        HttpResponse<String> wrong = put(id, "{\"creditLimit\": 100}", basic("ops", "guess"));

        assertProblem(anonymous, 401, "unauthorized");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"payment-service admin\"");
        assertThat(json.readTree(anonymous.body()).get("detail").stringValue()).contains("PLATFORM_ADMIN_USER / PLATFORM_ADMIN_PASSWORD");
        assertProblem(wrong, 401, "unauthorized");
        assertThat(send("GET", "/customers/" + id, null, null, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/customers", null, null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/actuator/prometheus", null, null, null).statusCode()).isEqualTo(200);
    }

    /** monitoring/exposed-metrics/payment-service.txt: what the dashboards and alerts may use of this service. */
    @Test
    void exposesTheRecordedMetrics() throws Exception {
        HttpResponse<String> prometheus = send("GET", "/actuator/prometheus", null, null, null);
        assertThat(prometheus.statusCode()).isEqualTo(200);
        ExposedMetrics.verifyRecorded("payment-service", prometheus.body());
    }

    @Test
    void aNewCustomerGetsAllItsCreditAvailable() throws Exception {
        String id = newId();

        HttpResponse<String> created = put(id, "{\"creditLimit\": 1000.00, \"name\": \"Load customer\"}", ADMIN);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/customers/" + id);
        assertCustomer(json.readTree(created.body()), id, "Load customer", "1000.00", "1000.00");
        assertCustomer(json.readTree(send("GET", "/customers/" + id, null, null, null).body()), id, "Load customer", "1000.00", "1000.00");
        assertCustomer(json.readTree(put(newId(), "{\"creditLimit\": 0}", ADMIN).body()), null, null, "0.00", "0.00");
    }

    @Test
    void aNewLimitMovesTheAvailableCreditByTheSameAmount() throws Exception {
        String id = customerWithCreditInUse("100.00", "40.00");

        HttpResponse<String> raised = put(id, "{\"creditLimit\": 150}", ADMIN);
        assertThat(raised.statusCode()).as(raised.body()).isEqualTo(200);
        assertThat(raised.headers().firstValue("Location")).isEmpty();
        assertCustomer(json.readTree(raised.body()), id, id, "150.00", "110.00");

        HttpResponse<String> lowered = put(id, "{\"creditLimit\": 40.00, \"name\": \"Renamed\"}", ADMIN);
        assertThat(lowered.statusCode()).as(lowered.body()).isEqualTo(200);
        assertCustomer(json.readTree(lowered.body()), id, "Renamed", "40.00", "0.00");
    }

    @Test
    void aLimitBelowTheCreditInUseIsRefusedAndChangesNothing() throws Exception {
        String id = customerWithCreditInUse("100.00", "40.00");

        HttpResponse<String> refused = put(id, "{\"creditLimit\": 39.99, \"name\": \"Renamed\"}", ADMIN);

        assertProblem(refused, 422, "limit-below-credit-in-use");
        assertThat(json.readTree(refused.body()).get("creditInUse").decimalValue()).isEqualByComparingTo("40.00");
        assertCustomer(json.readTree(send("GET", "/customers/" + id, null, null, null).body()), id, id, "100.00", "60.00");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"creditLimit\": \"1000\"}                 | invalid-field",
            "{\"creditLimit\": 10.005}                   | invalid-field",
            "{\"creditLimit\": 10.0049999999999999999}   | invalid-field",
            "{\"creditLimit\": -0.01}                    | invalid-field",
            "{\"creditLimit\": 1000000000.01}            | invalid-field",
            "{\"creditLimit\": null}                     | invalid-field",
            "{\"name\": \"no limit\"}                    | invalid-field",
            "{\"creditLimit\": 10, \"name\": \" \"}      | invalid-field",
            "{\"creditLimit\": 10, \"name\": 7}          | invalid-field",
            "{\"creditLimit\": 10, \"limit\": 5}         | unknown-field",
            "{\"creditLimit\": 10} {}                    | malformed-json",
            "[{\"creditLimit\": 10}]                     | malformed-json",
            "creditLimit=10                              | malformed-json",
            "''                                          | malformed-json"})
    void aBadBodyIsA400ProblemAndCreatesNothing(String body, String type) throws Exception {
        String id = newId();

        assertProblem(put(id, body, ADMIN), 400, type);
        assertThat(send("GET", "/customers/" + id, null, null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aBadIdIsA400ProblemAndANonJsonBodyA415() throws Exception {
        assertProblem(put("has*star", "{\"creditLimit\": 1}", ADMIN), 400, "invalid-parameter");
        assertProblem(put("x".repeat(65), "{\"creditLimit\": 1}", ADMIN), 400, "invalid-parameter");

        HttpResponse<String> text = send("PUT", "/customers/" + newId(), "text/plain", "{\"creditLimit\": 1}", ADMIN);
        assertThat(text.statusCode()).as(text.body()).isEqualTo(415);
        assertThat(text.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void aLimitChangeWaitsForThePaymentHoldingTheCustomerRow() throws Exception {
        String id = customerWithCreditInUse("100.00", "0.00");
        CompletableFuture<HttpResponse<String>> change = new CompletableFuture<>();

        transactions.executeWithoutResult(status -> {
            // What an authorization does first: lock the row, then debit it.
            jdbc.sql("select 1 from customer where customer_id = ? for update").param(id).query(Integer.class).single();
            CompletableFuture.runAsync(() -> change.complete(putUnchecked(id, "{\"creditLimit\": 50}")));
            assertThat(change).as("the PUT waits for the lock").failsWithin(Duration.ofMillis(700));
            jdbc.sql("update customer set available_credit = available_credit - 30 where customer_id = ?").param(id).update();
        });

        HttpResponse<String> changed = change.get();
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertCustomer(json.readTree(changed.body()), id, id, "50.00", "20.00");
    }

    private String customerWithCreditInUse(String limit, String inUse) throws Exception {
        String id = newId();
        assertThat(put(id, "{\"creditLimit\": " + limit + "}", ADMIN).statusCode()).isEqualTo(201);
        jdbc.sql("update customer set available_credit = credit_limit - ? where customer_id = ?")
                .params(new BigDecimal(inUse), id).update();
        return id;
    }

    private static String newId() {
        return "c-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void assertCustomer(JsonNode customer, String id, String name, String limit, String available) {
        if (id != null) {
            assertThat(customer.get("customerId").stringValue()).isEqualTo(id);
            assertThat(customer.get("name").stringValue()).isEqualTo(name);
        }
        assertThat(customer.get("creditLimit").decimalValue()).isEqualByComparingTo(limit);
        assertThat(customer.get("availableCredit").decimalValue()).isEqualByComparingTo(available);
    }

    private void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("type").stringValue()).isEqualTo(PROBLEMS + type);
        assertThat(problem.get("status").intValue()).isEqualTo(status);
        assertThat(problem.get("detail").stringValue()).isNotBlank();
    }

    private HttpResponse<String> put(String id, String body, String authorization) throws Exception {
        return send("PUT", "/customers/" + id, "application/json", body, authorization);
    }

    private HttpResponse<String> putUnchecked(String id, String body) {
        try {
            return put(id, body, ADMIN);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
