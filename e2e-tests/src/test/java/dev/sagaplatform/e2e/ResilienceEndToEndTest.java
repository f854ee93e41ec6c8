package dev.sagaplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.e2e.ApplicationUnderTest.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Resilience with every real component: the real payment-gateway broken on purpose through its fault
 * controls, while orders flow through order-, payment- and inventory-service, the relay and Kafka. The
 * base class then checks that money and stock balance, at the gateway too. See docs/resilience.md.
 */
class ResilienceEndToEndTest extends EndToEndTest {

    private static final String HEALTHY = "{\"errorRate\":0.0,\"errorAfterProcessingRate\":0.0,\"latencyMs\":0,"
            + "\"latencyJitterMs\":0,\"hang\":false,\"reset\":false}";
    private static final List<String> CUSTOMERS = List.of("alice", "carol");
    private static final List<String> SKUS = List.of("SKU-APPLE", "SKU-PEN", "SKU-BOOK");

    /** Runs before the base class's invariant check: the faults heal, then the sagas must settle. */
    @AfterEach
    void healTheGateway() {
        assertThat(client.adminPut(Service.GATEWAY, "/admin/faults", HEALTHY).status()).isEqualTo(200);
    }

    @Test
    void withTheGatewayFailingHalfItsCallsEveryOrderEndsApprovedOrRejectedAndMoneyBalances() {
        double retriedBefore = metric(Service.PAYMENT,
                "resilience4j_retry_calls_total{kind=\"successful_with_retry\",name=\"payment-gateway\"}");
        assertThat(client.adminPut(Service.GATEWAY, "/admin/faults", "{\"errorRate\":0.5}").status()).isEqualTo(200);

        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            orders.add(place(CUSTOMERS.get(i % CUSTOMERS.size()), SKUS.get(i % SKUS.size())));
        }

        for (UUID orderId : orders) {
            JsonNode order = client.awaitTerminal(orderId);
            assertThat(order.path("status").asString()).isIn("APPROVED", "REJECTED");
            if ("REJECTED".equals(order.path("status").asString())) {
                assertThat(order.path("reason").asString()).isIn("PAYMENT_FAILED", "INSUFFICIENT_CREDIT", "OUT_OF_STOCK");
            }
        }
        // Half the attempts fail; the retries turned most of them into successes.
        assertThat(metric(Service.PAYMENT,
                "resilience4j_retry_calls_total{kind=\"successful_with_retry\",name=\"payment-gateway\"}"))
                .isGreaterThan(retriedBefore);
        // The base class checks that every customer's credit matches its APPROVED orders and that every
        // REJECTED order nets zero at the gateway, charged at most once.
    }

    @Test
    void hangingGatewayDoesNotSlowDownOrderPlacementAndItsCallsAreCutAtTheTimeLimit() {
        double cutBefore = metric(Service.PAYMENT, "resilience4j_timelimiter_calls_total{kind=\"timeout\",name=\"payment-gateway\"}");
        assertThat(client.adminPut(Service.GATEWAY, "/admin/faults", "{\"hang\":true}").status()).isEqualTo(200);

        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // Placement asks payment- and inventory-service, never the gateway: it is answered 202 while the gateway
            // holds every request (for minutes; the client would give up after 30 s).
            orders.add(place("alice", SKUS.get(i)));
        }
        assertThat(client.get(Service.INVENTORY, "/products/SKU-APPLE").status()).isEqualTo(200);
        assertThat(client.get(Service.PAYMENT, "/customers/alice").status()).isEqualTo(200);

        // The payment step's gateway calls are cut at the time limit instead of hanging with it.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> metric(Service.PAYMENT,
                "resilience4j_timelimiter_calls_total{kind=\"timeout\",name=\"payment-gateway\"}") > cutBefore);
        // Once every attempt was cut the payment is declined at once, while the gateway still hangs: no saga
        // waits for the gateway to come back, and the charge keys' voids wait in gateway_return instead.
        for (UUID orderId : orders) {
            JsonNode order = client.awaitTerminal(orderId);
            assertThat(order.path("status").asString()).isEqualTo("REJECTED");
            assertThat(order.path("reason").asString()).isEqualTo("PAYMENT_FAILED");
        }

        // Healed: the voids go out and the invariants (checked after the test) find no money held at the gateway.
        assertThat(client.adminPut(Service.GATEWAY, "/admin/faults", HEALTHY).status()).isEqualTo(200);
    }

    @Test
    void breakersAreOnHealthButNotInTheProbesAndOnPrometheusUnderTheirPublicNames() {
        // Health details are for the platform admin (anonymous callers see the status only).
        assertThat(client.get(Service.PAYMENT, "/actuator/health").json().has("components")).isFalse();
        JsonNode payment = client.adminGet(Service.PAYMENT, "/actuator/health").json();
        assertThat(payment.path("components").path("circuitBreakers").path("details").path("payment-gateway")
                .path("details").path("state").asString()).isIn("CLOSED", "HALF_OPEN", "OPEN");
        JsonNode order = client.adminGet(Service.ORDER, "/actuator/health").json();
        assertThat(order.path("components").path("circuitBreakers").path("details").path("inventory-service")
                .path("details").path("state").asString()).isIn("CLOSED", "HALF_OPEN", "OPEN");
        assertThat(client.get(Service.PAYMENT, "/actuator/health/liveness").body()).doesNotContain("circuitBreakers");
        assertThat(client.get(Service.ORDER, "/actuator/health/liveness").body()).doesNotContain("circuitBreakers");

        assertThat(client.get(Service.ORDER, "/actuator/prometheus").body())
                .contains("resilience4j_circuitbreaker_state{name=\"inventory-service\",state=\"closed\"}")
                .contains("resilience4j_bulkhead_queue_depth{name=\"inventory-service\"}");
        assertThat(client.get(Service.PAYMENT, "/actuator/prometheus").body())
                .contains("resilience4j_circuitbreaker_state{name=\"payment-gateway\",state=\"closed\"}")
                .contains("resilience4j_retry_calls_total{kind=\"failed_with_retry\",name=\"payment-gateway\"}")
                .contains("resilience4j_retry_calls_total{kind=\"successful_without_retry\",name=\"database\"}");
        assertThat(client.get(Service.RELAY, "/actuator/prometheus").body())
                .contains("resilience4j_circuitbreaker_state{name=\"kafka\",state=\"closed\"}");
    }

    private UUID place(String customerId, String sku) {
        PlatformClient.Response response = client.placeOrder(UUID.randomUUID().toString(), customerId, Map.of(sku, 1),
                "CHOREOGRAPHY");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return UUID.fromString(response.json().path("orderId").asString());
    }

    /** One sample of a service's Prometheus scrape; 0 when the series is absent. */
    private static double metric(Service service, String series) {
        String body = client.get(service, "/actuator/prometheus").body();
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(body);
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }
}
