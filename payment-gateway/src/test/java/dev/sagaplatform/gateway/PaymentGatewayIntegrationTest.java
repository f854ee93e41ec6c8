package dev.sagaplatform.gateway;

import static dev.sagaplatform.gateway.GatewayClient.body;
import static dev.sagaplatform.gateway.GatewayClient.chargeJson;
import static dev.sagaplatform.gateway.GatewayClient.refundJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.testsupport.RealInfrastructure;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The gateway over real HTTP against its real PostgreSQL schema, in one Spring context: the nested
 * groups share it, and every test heals the faults it set.
 */
@RealInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.admin.user=chaos",
        "platform.admin.password=test-secret",
        "gateway.merchant-api-key=" + PaymentGatewayIntegrationTest.MERCHANT_KEY,
        // Short, so that the bounded hang is observable without a five-minute test.
        "gateway.faults.max-hang=2s"})
class PaymentGatewayIntegrationTest {

    private static final String PROBLEMS = "https://saga-platform.dev/problems/";
    static final String MERCHANT_KEY = "test-merchant-key-0123456789";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    GatewayClient gateway;

    @BeforeEach
    void connect() {
        gateway = new GatewayClient(port, "chaos", "test-secret", MERCHANT_KEY);
    }

    @AfterEach
    void healFaults() {
        assertThat(gateway.admin("DELETE", "/admin/faults", null).statusCode()).isEqualTo(200);
    }

    String newOrder() {
        return UUID.randomUUID().toString();
    }

    HttpResponse<String> charge(String orderId, String customerId, String amount) {
        return gateway.post("/charges", chargeJson("charge-" + orderId, orderId, customerId, amount));
    }

    HttpResponse<String> refund(String orderId, String amount) {
        return gateway.post("/refunds", refundJson("refund-" + orderId, "charge-" + orderId, amount));
    }

    /** {@code gateway_faults_injected_total{fault=...}} as the gateway exports it now. */
    double injected(String fault) {
        java.util.regex.Matcher value = java.util.regex.Pattern.compile("(?m)^gateway_faults_injected_total\\{[^}]*fault=\""
                + java.util.regex.Pattern.quote(fault) + "\"[^}]*} (\\S+)$").matcher(gateway.get("/actuator/prometheus").body());
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }

    long storedCharges(String orderId) {
        return jdbc.sql("select count(*) from charge where order_id = :orderId").param("orderId", UUID.fromString(orderId))
                .query(Long.class).single();
    }

    /** What the order cost its customer at the gateway, summed over every charge for it. */
    BigDecimal netCharge(String orderId) {
        JsonNode page = body(gateway.get("/charges?orderId=" + orderId));
        BigDecimal net = BigDecimal.ZERO;
        for (JsonNode charge : page.get("content")) {
            net = net.add(charge.get("amount").decimalValue()).subtract(charge.get("refundedAmount").decimalValue());
        }
        return net;
    }

    static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                contentType -> assertThat(contentType).startsWith("application/problem+json"));
        JsonNode problem = body(response);
        assertThat(problem.has("type")).as(response.body()).isTrue();
        assertThat(problem.get("type").asString()).isEqualTo(PROBLEMS + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).isNotBlank();
    }

    @Nested
    class Charges {

        @Test
        void replayReturnsTheStoredChargeAndOnlyOneIsStored() {
            String orderId = newOrder();

            HttpResponse<String> first = charge(orderId, "alice", "12.50");
            HttpResponse<String> replay = charge(orderId, "alice", "12.5");

            assertThat(first.statusCode()).isEqualTo(201);
            JsonNode charge = body(first);
            assertThat(first.headers().firstValue("Location")).hasValue("/charges/" + charge.get("chargeId").asString());
            assertThat(charge.get("idempotencyKey").asString()).isEqualTo("charge-" + orderId);
            assertThat(charge.get("orderId").asString()).isEqualTo(orderId);
            assertThat(charge.get("customerId").asString()).isEqualTo("alice");
            assertThat(charge.get("amount").decimalValue()).isEqualByComparingTo("12.50");
            assertThat(charge.get("refundedAmount").decimalValue()).isEqualByComparingTo("0");
            assertThat(charge.get("status").asString()).isEqualTo("CAPTURED");
            assertThat(charge.get("createdAt").asString()).isNotBlank();
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(body(replay)).isEqualTo(charge);
            assertThat(body(gateway.get("/charges/" + charge.get("chargeId").asString()))).isEqualTo(charge);
            assertThat(storedCharges(orderId)).isEqualTo(1);
        }

        @Test
        void sameKeyWithADifferentAmountIsRefusedAndTheChargeKeepsItsAmount() {
            String orderId = newOrder();
            charge(orderId, "alice", "12.50");

            HttpResponse<String> differentAmount = charge(orderId, "alice", "13.00");
            HttpResponse<String> differentCustomer = charge(orderId, "bob", "12.50");

            assertProblem(differentAmount, 422, "idempotency-key-reused");
            assertProblem(differentCustomer, 422, "idempotency-key-reused");
            assertThat(storedCharges(orderId)).isEqualTo(1);
            assertThat(netCharge(orderId)).isEqualByComparingTo("12.50");
        }

        @Test
        void twentyConcurrentIdenticalRequestsCreateExactlyOneCharge() {
            String orderId = newOrder();
            String json = chargeJson("charge-" + orderId, orderId, "alice", "30.00");

            List<CompletableFuture<HttpResponse<String>>> requests = IntStream.range(0, 20)
                    .mapToObj(i -> gateway.postAsync("/charges", json, Duration.ofSeconds(30)))
                    .toList();
            List<HttpResponse<String>> responses = requests.stream().map(CompletableFuture::join).toList();

            assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200, 201).containsOnlyOnce(201);
            Set<String> chargeIds = responses.stream().map(response -> body(response).get("chargeId").asString()).collect(Collectors.toSet());
            assertThat(chargeIds).hasSize(1);
            assertThat(storedCharges(orderId)).isEqualTo(1);
        }

        @Test
        void listsChargesByCustomerAndOrderInTheSharedPagedShape() {
            String customer = "lister-" + UUID.randomUUID();
            List<String> orders = List.of(newOrder(), newOrder(), newOrder());
            orders.forEach(orderId -> assertThat(charge(orderId, customer, "1.00").statusCode()).isEqualTo(201));

            JsonNode firstPage = body(gateway.get("/charges?customerId=" + customer + "&page=0&size=2"));
            JsonNode secondPage = body(gateway.get("/charges?customerId=" + customer + "&page=1&size=2"));
            JsonNode byOrder = body(gateway.get("/charges?orderId=" + orders.get(1)));

            assertThat(firstPage.get("content")).hasSize(2);
            assertThat(firstPage.get("page").get("size").asInt()).isEqualTo(2);
            assertThat(firstPage.get("page").get("number").asInt()).isZero();
            assertThat(firstPage.get("page").get("totalElements").asInt()).isEqualTo(3);
            assertThat(firstPage.get("page").get("totalPages").asInt()).isEqualTo(2);
            assertThat(secondPage.get("content")).hasSize(1);
            assertThat(byOrder.get("content")).hasSize(1);
            assertThat(byOrder.get("content").get(0).get("orderId").asString()).isEqualTo(orders.get(1));
        }

        @Test
        void unknownChargeIsANotFoundProblem() {
            assertProblem(gateway.get("/charges/" + UUID.randomUUID()), 404, "charge-not-found");
        }
    }

    @Nested
    class Refunds {

        @Test
        void refundsReduceTheChargeAndAReplayAnswersTheSameRefund() {
            String orderId = newOrder();
            String chargeId = body(charge(orderId, "alice", "12.50")).get("chargeId").asString();

            HttpResponse<String> partial = gateway.post("/refunds", refundJson("refund-1-" + orderId, "charge-" + orderId, "5.00"));
            HttpResponse<String> replay = gateway.post("/refunds", refundJson("refund-1-" + orderId, "charge-" + orderId, "5"));
            JsonNode afterPartial = body(gateway.get("/charges/" + chargeId));
            HttpResponse<String> rest = gateway.post("/refunds", refundJson("refund-2-" + orderId, "charge-" + orderId, "7.50"));
            JsonNode afterRest = body(gateway.get("/charges/" + chargeId));

            assertThat(partial.statusCode()).isEqualTo(201);
            JsonNode refund = body(partial);
            assertThat(refund.get("status").asString()).isEqualTo("REFUNDED");
            assertThat(refund.get("chargeIdempotencyKey").asString()).isEqualTo("charge-" + orderId);
            assertThat(refund.get("amount").decimalValue()).isEqualByComparingTo("5.00");
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(body(replay)).isEqualTo(refund);
            assertThat(afterPartial.get("status").asString()).isEqualTo("PARTIALLY_REFUNDED");
            assertThat(afterPartial.get("refundedAmount").decimalValue()).isEqualByComparingTo("5.00");
            assertThat(rest.statusCode()).isEqualTo(201);
            assertThat(afterRest.get("status").asString()).isEqualTo("REFUNDED");
            assertThat(netCharge(orderId)).isEqualByComparingTo("0");
        }

        @Test
        void refundBeforeTheChargeVoidsTheKeySoTheLateChargeIsRefused() {
            String orderId = newOrder();

            HttpResponse<String> voiding = refund(orderId, "12.50");
            HttpResponse<String> lateCharge = charge(orderId, "alice", "12.50");
            HttpResponse<String> voidingReplay = refund(orderId, "12.50");

            assertThat(voiding.statusCode()).isEqualTo(200);
            assertThat(body(voiding).get("status").asString()).isEqualTo("VOIDED");
            assertThat(body(voiding).get("chargeIdempotencyKey").asString()).isEqualTo("charge-" + orderId);
            assertProblem(lateCharge, 409, "charge-voided");
            assertThat(voidingReplay.statusCode()).isEqualTo(200);
            assertThat(body(voidingReplay)).isEqualTo(body(voiding));
            assertThat(storedCharges(orderId)).isZero();
            assertThat(netCharge(orderId)).isEqualByComparingTo("0");
        }

        @Test
        void chargeRacingItsRefundNeverLeavesMoneyTaken() {
            List<String> orders = IntStream.range(0, 10).mapToObj(i -> newOrder()).toList();
            List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
            for (String orderId : orders) {
                requests.add(gateway.postAsync("/charges", chargeJson("charge-" + orderId, orderId, "alice", "9.99"), Duration.ofSeconds(30)));
                requests.add(gateway.postAsync("/refunds", refundJson("refund-" + orderId, "charge-" + orderId, "9.99"), Duration.ofSeconds(30)));
            }
            requests.forEach(CompletableFuture::join);

            for (String orderId : orders) {
                assertThat(netCharge(orderId)).as("net charge of order %s", orderId).isEqualByComparingTo("0");
            }
        }

        @Test
        void refundOfMoreThanIsLeftIsRefusedAndChangesNothing() {
            String orderId = newOrder();
            String chargeId = body(charge(orderId, "alice", "10.00")).get("chargeId").asString();

            HttpResponse<String> tooMuch = refund(orderId, "10.01");

            assertProblem(tooMuch, 422, "refund-exceeds-charge");
            assertThat(body(gateway.get("/charges/" + chargeId)).get("refundedAmount").decimalValue()).isEqualByComparingTo("0");
            assertThat(refund(orderId, "10.00").statusCode()).isEqualTo(201);
        }

        @Test
        void refundKeyReusedForAnotherAmountIsRefused() {
            String orderId = newOrder();
            charge(orderId, "alice", "10.00");
            refund(orderId, "4.00");

            assertProblem(refund(orderId, "5.00"), 422, "idempotency-key-reused");
        }
    }

    @Nested
    class Faults {

        @Test
        void errorRateOneAnswers503AndStoresNothing() {
            gateway.putFaults("{\"errorRate\":1.0}");
            String orderId = newOrder();

            assertProblem(charge(orderId, "alice", "12.50"), 503, "gateway-unavailable");
            assertProblem(refund(orderId, "12.50"), 503, "gateway-unavailable");

            assertThat(storedCharges(orderId)).isZero();
            assertThat(jdbc.sql("select count(*) from refund where idempotency_key = :key").param("key", "refund-" + orderId)
                    .query(Long.class).single()).isZero();
        }

        @Test
        void errorAfterProcessingStoresTheChargeThenAnswers503AndTheReplayReturnsIt() {
            gateway.putFaults("{\"errorAfterProcessingRate\":1.0}");
            String orderId = newOrder();

            assertProblem(charge(orderId, "alice", "12.50"), 503, "gateway-unavailable");
            assertThat(storedCharges(orderId)).isEqualTo(1);
            gateway.admin("DELETE", "/admin/faults", null);
            HttpResponse<String> replay = charge(orderId, "alice", "12.50");

            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(body(replay).get("orderId").asString()).isEqualTo(orderId);
            assertThat(storedCharges(orderId)).isEqualTo(1);
        }

        @Test
        void latencyDelaysEveryChargeByAtLeastLatencyMs() {
            gateway.putFaults("{\"latencyMs\":300,\"latencyJitterMs\":50,\"latencyDistribution\":\"EXPONENTIAL\"}");
            double delayedBefore = injected("latency");

            HttpResponse<String> response = charge(newOrder(), "alice", "1.00");

            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(injected("latency")).as("the charge was held back by the latency fault").isEqualTo(delayedBefore + 1);
        }

        @Test
        void hangHoldsRequestsUntilItIsSwitchedOff() throws Exception {
            gateway.putFaults("{\"hang\":true}");
            String impatientOrder = newOrder();
            String patientOrder = newOrder();

            CompletableFuture<HttpResponse<String>> impatient =
                    gateway.postAsync("/charges", chargeJson("charge-" + impatientOrder, impatientOrder, "alice", "1.00"), Duration.ofMillis(300));
            assertThatThrownBy(impatient::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(HttpTimeoutException.class);
            double hungBefore = injected("hang");
            CompletableFuture<HttpResponse<String>> patient =
                    gateway.postAsync("/charges", chargeJson("charge-" + patientOrder, patientOrder, "alice", "1.00"), Duration.ofSeconds(10));
            // The gateway counts a request when it starts holding it: from then on only switching hang off lets it go.
            await().atMost(Duration.ofSeconds(10)).until(() -> injected("hang") > hungBefore);
            assertThat(patient).isNotDone();
            assertThat(storedCharges(patientOrder)).isZero();
            gateway.putFaults("{\"hang\":false}");

            assertThat(patient.get().statusCode()).isEqualTo(201);
        }

        @Test
        void hangLongerThanTheMaximumAnswers504WithoutProcessing() {
            gateway.putFaults("{\"hang\":true}");
            String orderId = newOrder();

            assertProblem(charge(orderId, "alice", "1.00"), 504, "gateway-timeout");
            assertThat(storedCharges(orderId)).isZero();
        }

        @Test
        void resetDropsTheConnectionWithATcpResetAndNoAnswer() throws IOException {
            gateway.putFaults("{\"reset\":true}");
            String orderId = newOrder();
            String json = chargeJson("charge-" + orderId, orderId, "alice", "1.00");
            HttpRequest request = gateway.request("/charges")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json").build();

            // java.net.http reports any connection lost before a status line as "header parser received
            // no bytes"; a plain socket shows that it was a reset and not an orderly close.
            assertThatThrownBy(() -> gateway.sendRaw(request)).isInstanceOf(IOException.class);
            try (Socket socket = new Socket("localhost", port)) {
                socket.getOutputStream().write(("POST /charges HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + json.length() + "\r\n\r\n" + json).getBytes(StandardCharsets.US_ASCII));
                assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class).hasMessageContaining("reset");
            }
            assertThat(storedCharges(orderId)).isZero();
        }

        @Test
        void deleteRestoresHealth() {
            gateway.putFaults("{\"errorRate\":1.0,\"latencyMs\":50,\"reset\":true,\"hang\":false}");

            HttpResponse<String> cleared = gateway.admin("DELETE", "/admin/faults", null);

            assertThat(cleared.statusCode()).isEqualTo(200);
            assertThat(body(cleared)).isEqualTo(body(gateway.admin("GET", "/admin/faults", null)));
            JsonNode settings = body(cleared);
            assertThat(settings.get("errorRate").asDouble()).isZero();
            assertThat(settings.get("errorAfterProcessingRate").asDouble()).isZero();
            assertThat(settings.get("latencyMs").asLong()).isZero();
            assertThat(settings.get("hang").asBoolean()).isFalse();
            assertThat(settings.get("reset").asBoolean()).isFalse();
            assertThat(charge(newOrder(), "alice", "1.00").statusCode()).isEqualTo(201);
        }

        @Test
        void anUpdateChangesOnlyTheFieldsItNames() {
            gateway.putFaults("{\"latencyMs\":10,\"latencyDistribution\":\"FIXED\"}");

            JsonNode settings = body(gateway.putFaults("{\"errorRate\":0.25}"));

            assertThat(settings.get("errorRate").asDouble()).isEqualTo(0.25);
            assertThat(settings.get("latencyMs").asLong()).isEqualTo(10);
            assertThat(settings.get("latencyDistribution").asString()).isEqualTo("FIXED");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{\"errorRate\":1.5}",
                "{\"errorAfterProcessingRate\":-0.1}",
                "{\"latencyMs\":-1}",
                "{\"latencyJitterMs\":300001}",
                "{\"latencyMs\":1.5}",
                "{\"latencyDistribution\":\"GAUSSIAN\"}",
                "{\"hang\":\"sometimes\"}",
                "{\"refuseRefunds\":\"yes\"}",
                "{\"errorrate\":1.0}",
                "{\"errorRate\":"})
        void badSettingsAreRefusedAndLeaveTheFaultsAsTheyWere(String json) {
            gateway.putFaults("{\"latencyMs\":5}");

            assertProblem(gateway.admin("PUT", "/admin/faults", json), 400, "invalid-request");

            JsonNode settings = body(gateway.admin("GET", "/admin/faults", null));
            assertThat(settings.get("latencyMs").asLong()).isEqualTo(5);
            assertThat(settings.get("errorRate").asDouble()).isZero();
        }

        @Test
        void refuseRefundsRefusesRefundsAndVoidsButLetsChargesThrough() {
            String charged = newOrder();
            assertThat(charge(charged, "alice", "5.00").statusCode()).isEqualTo(201);
            String neverCharged = newOrder();
            gateway.putFaults("{\"refuseRefunds\":true}");

            assertProblem(refund(charged, "5.00"), 422, "refund-refused");
            assertProblem(refund(neverCharged, "5.00"), 422, "refund-refused");
            assertThat(charge(newOrder(), "alice", "1.00").statusCode()).isEqualTo(201);

            gateway.putFaults("{\"refuseRefunds\":false}");
            assertThat(refund(charged, "5.00").statusCode()).isEqualTo(201);
            // The refused void left the key open, so a charge is still possible (nothing was voided).
            assertThat(charge(neverCharged, "alice", "5.00").statusCode()).isEqualTo(201);
        }

        @Test
        void readsAreNotSubjectToFaults() {
            String orderId = newOrder();
            String chargeId = body(charge(orderId, "alice", "1.00")).get("chargeId").asString();
            gateway.putFaults("{\"errorRate\":1.0}");

            assertThat(gateway.get("/charges?orderId=" + orderId).statusCode()).isEqualTo(200);
            assertThat(gateway.get("/charges/" + chargeId).statusCode()).isEqualTo(200);
        }

        @Test
        void chargesRefundsAndInjectedFaultsAreCountedOnPrometheus() {
            String orderId = newOrder();
            charge(orderId, "alice", "1.00");
            refund(orderId, "1.00");
            gateway.putFaults("{\"errorRate\":1.0}");
            charge(newOrder(), "alice", "1.00");

            String metrics = gateway.get("/actuator/prometheus").body();

            assertThat(metrics)
                    .containsPattern("gateway_charges_total\\{[^}]*outcome=\"captured\"[^}]*} [1-9]")
                    .containsPattern("gateway_refunds_total\\{[^}]*outcome=\"refunded\"[^}]*} [1-9]")
                    .containsPattern("gateway_faults_injected_total\\{[^}]*fault=\"error\"[^}]*} [1-9]")
                    .contains("gateway_faults_error_rate 1.0");
        }
    }

    @Nested
    class Access {

        @Test
        void faultControlNeedsTheAdminCredentials() {
            HttpResponse<String> anonymous = gateway.send(gateway.adminRequest("GET", "/admin/faults", null).build());
            HttpResponse<String> wrongPassword = gateway.send(gateway.adminRequest("PUT", "/admin/faults", "{\"errorRate\":1.0}")
                    .header("Authorization", GatewayClient.basic("chaos", "guess")).build());
            HttpResponse<String> admin = gateway.admin("GET", "/admin/faults", null);

            assertProblem(anonymous, 401, "unauthorized");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Basic"));
            assertProblem(wrongPassword, 401, "unauthorized");
            assertThat(admin.statusCode()).isEqualTo(200);
            assertThat(body(admin).get("errorRate").asDouble()).isZero();
        }

        /** Anyone who read an order id could otherwise refund an approved order, or void its key before the charge. */
        @Test
        void chargesAndRefundsAnswerOnlyTheMerchantKey() {
            String orderId = newOrder();
            assertThat(charge(orderId, "alice", "12.50").statusCode()).isEqualTo(201);
            String refund = refundJson("forged-refund-" + orderId, "charge-" + orderId, "12.50");
            String forgedCharge = GatewayClient.chargeJson("forged-" + orderId, newOrder(), "mallory", "1.00");

            for (HttpRequest.Builder forged : List.of(
                    gateway.anonymous("/refunds").POST(HttpRequest.BodyPublishers.ofString(refund)),
                    gateway.anonymous("/refunds").POST(HttpRequest.BodyPublishers.ofString(refund)).header("Authorization", "Bearer wrong-key-0123456789"),
                    gateway.anonymous("/refunds").POST(HttpRequest.BodyPublishers.ofString(refund)).header("Authorization", GatewayClient.basic("chaos", "test-secret")),
                    gateway.anonymous("/charges").POST(HttpRequest.BodyPublishers.ofString(forgedCharge)),
                    gateway.anonymous("/charges").GET(),
                    gateway.anonymous("/charges?orderId=" + orderId).GET())) {
                HttpResponse<String> answer = gateway.send(forged.header("Content-Type", "application/json").build());
                assertProblem(answer, 401, "unauthorized");
                assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
            }
            assertThat(jdbc.sql("select count(*) from refund where charge_idempotency_key = ?").param("charge-" + orderId)
                    .query(Long.class).single()).as("no forged refund reached the ledger").isZero();
            assertThat(jdbc.sql("select count(*) from charge where customer_id = 'mallory'").query(Long.class).single()).isZero();
            assertThat(gateway.post("/refunds", refund).statusCode()).as("the merchant itself may refund").isIn(200, 201);
        }

        @Test
        void theMerchantReadsChargesAndActuatorIsOpen() {
            assertThat(gateway.get("/charges").statusCode()).isEqualTo(200);
            assertThat(gateway.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
            assertThat(gateway.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
            assertThat(gateway.get("/actuator/prometheus").statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class BadInput {

        @ParameterizedTest
        @ValueSource(strings = {
                "{\"orderId\":\"7d9f5a9e-7d1e-4a0c-9d5e-1f0e9c1b2a3d\",\"customerId\":\"alice\",\"amount\":1.00}",
                "{\"idempotencyKey\":\"k-missing-order\",\"customerId\":\"alice\",\"amount\":1.00}",
                "{\"idempotencyKey\":\"k-missing-customer\",\"orderId\":\"7d9f5a9e-7d1e-4a0c-9d5e-1f0e9c1b2a3d\",\"amount\":1.00}",
                "{\"idempotencyKey\":\"k-missing-amount\",\"orderId\":\"7d9f5a9e-7d1e-4a0c-9d5e-1f0e9c1b2a3d\",\"customerId\":\"alice\"}",
                "{\"idempotencyKey\":\"k-zero\",\"orderId\":\"7d9f5a9e-7d1e-4a0c-9d5e-1f0e9c1b2a3d\",\"customerId\":\"alice\",\"amount\":0}",
                "{\"idempotencyKey\":\"k-negative\",\"orderId\":\"7d9f5a9e-7d1e-4a0c-9d5e-1f0e9c1b2a3d\",\"customerId\":\"alice\",\"amount\":-5.00}",
                "{\"idempotencyKey\":\"k-3-decimals\",\"orderId\":\"7d9f5a9e-7d1e-4a0c-9d5e-1f0e9c1b2a3d\",\"customerId\":\"alice\",\"amount\":1.005}",
                "{\"idempotencyKey\":\"k-bad-uuid\",\"orderId\":\"not-a-uuid\",\"customerId\":\"alice\",\"amount\":1.00}",
                "{\"idempotencyKey\":\" \",\"orderId\":\"7d9f5a9e-7d1e-4a0c-9d5e-1f0e9c1b2a3d\",\"customerId\":\"alice\",\"amount\":1.00}",
                "{\"idempotencyKey\":\"k-malformed\",",
                "[]",
                ""})
        void invalidChargesAreRefusedAsProblems(String json) {
            assertProblem(gateway.post("/charges", json), 400, "invalid-request");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{\"chargeIdempotencyKey\":\"charge-x\",\"amount\":1.00}",
                "{\"idempotencyKey\":\"refund-x\",\"amount\":1.00}",
                "{\"idempotencyKey\":\"refund-x\",\"chargeIdempotencyKey\":\"charge-x\",\"amount\":0.001}",
                "{\"idempotencyKey\":\"refund-x\",\"chargeIdempotencyKey\":\"charge-x\",\"amount\":-1}",
                "not json"})
        void invalidRefundsAreRefusedAsProblems(String json) {
            assertProblem(gateway.post("/refunds", json), 400, "invalid-request");
        }

        @Test
        void missingFieldsAreNamedInTheProblem() {
            JsonNode problem = body(gateway.post("/charges", "{\"idempotencyKey\":\"k\"}"));

            assertThat(problem.get("errors").findValuesAsString("field")).contains("orderId", "customerId", "amount");
        }

        @Test
        void pageSizeAbove500IsRefused() {
            assertProblem(gateway.get("/charges?size=501"), 400, "invalid-request");
            assertProblem(gateway.get("/charges?page=-1"), 400, "invalid-request");
            assertProblem(gateway.get("/charges?orderId=nope"), 400, "invalid-request");
        }

        @Test
        void nonJsonContentIsUnsupported() {
            HttpResponse<String> response = gateway.send(gateway.request("/charges")
                    .POST(HttpRequest.BodyPublishers.ofString("amount=1")).header("Content-Type", "text/plain").build());

            assertProblem(response, 415, "unsupported-media-type");
        }
    }
}
