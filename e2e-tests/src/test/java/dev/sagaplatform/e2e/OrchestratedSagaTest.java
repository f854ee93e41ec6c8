package dev.sagaplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.e2e.ApplicationUnderTest.Service;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The orchestrated flow through every real component, including the faults it exists for: a
 * participant that does not answer, a compensation that cannot get through, an orchestrator crash.
 */
class OrchestratedSagaTest extends EndToEndTest {

    @Test
    void approvedOrderCompletesItsSaga() {
        BigDecimal spentBefore = spent("alice");

        UUID orderId = place("alice", Map.of("SKU-APPLE", 4));

        assertThat(client.awaitTerminal(orderId).path("status").asString()).isEqualTo("APPROVED");
        JsonNode saga = awaitSagaState(orderId, "COMPLETED");
        assertThat(commandsSent(saga)).containsExactly("AuthorizePayment", "ReserveStock", "ApproveOrder");
        assertThat(spent("alice").subtract(spentBefore)).isEqualByComparingTo("6.00");
    }

    @Test
    void declinedPaymentRejectsTheOrderWithoutTouchingStock() {
        UUID orderId = place("bob", Map.of("SKU-WATCH", 1));

        JsonNode order = client.awaitTerminal(orderId);
        assertThat(order.path("status").asString()).isEqualTo("REJECTED");
        assertThat(order.path("reason").asString()).isEqualTo("INSUFFICIENT_CREDIT");
        JsonNode saga = awaitSagaState(orderId, "COMPENSATED");
        assertThat(commandsSent(saga)).containsExactly("AuthorizePayment", "RejectOrder");
    }

    @Test
    void stockRejectionRefundsThePaymentThenRejects() {
        String sku = ChoreographedSagaTest.newProduct("7.00", 1);
        BigDecimal spentBefore = spent("carol");

        UUID orderId = place("carol", Map.of(sku, 2));

        JsonNode order = client.awaitTerminal(orderId);
        assertThat(order.path("status").asString()).isEqualTo("REJECTED");
        assertThat(order.path("reason").asString()).isEqualTo("OUT_OF_STOCK");
        JsonNode saga = awaitSagaState(orderId, "COMPENSATED");
        assertThat(commandsSent(saga)).containsExactly("AuthorizePayment", "ReserveStock", "RefundPayment", "RejectOrder");
        assertThat(spent("carol")).isEqualByComparingTo(spentBefore);
    }

    @Test
    void participantThatNeverAnswersTimesOutAndTheSagaCompensates() {
        EmbeddedPlatform platform = embedded();
        BigDecimal spentBefore = spent("carol");
        UUID orderId = placeWithParticipantFrozen(platform, Service.INVENTORY, "carol", Map.of("SKU-BOOK", 1), "ReserveStock");
        try {
            await().atMost(EmbeddedPlatform.STEP_TIMEOUT.multipliedBy(4)).pollInterval(Duration.ofMillis(200))
                    .until(() -> outcomes(client.sagaOf(orderId)).contains("TIMED_OUT"));
        } finally {
            platform.resume(Service.INVENTORY);
        }

        JsonNode order = client.awaitTerminal(orderId);
        assertThat(order.path("status").asString()).isEqualTo("REJECTED");
        assertThat(order.path("reason").asString()).isEqualTo("TIMED_OUT");
        awaitSagaState(orderId, "COMPENSATED");
        // The reservation that happened late was released, the payment given back.
        assertThat(client.get(Service.INVENTORY, "/reservations/" + orderId).json().path("status").asString())
                .isEqualTo("RELEASED");
        assertThat(spent("carol")).isEqualByComparingTo(spentBefore);
    }

    @Test
    void compensationThatKeepsFailingIsParkedAndAnOperatorRetryFinishesIt() {
        EmbeddedPlatform platform = embedded();
        UUID orderId = placeWithParticipantFrozen(platform, Service.INVENTORY, "carol", Map.of("SKU-BOOK", 1), "ReserveStock");
        try {
            String sagaId = client.sagaOf(orderId).path("sagaId").asString();
            // ReserveStock times out, then ReleaseStock goes unanswered until the budget is spent.
            awaitSagaState(orderId, "STUCK", EmbeddedPlatform.STEP_TIMEOUT.multipliedBy(10));
            assertThat(client.get(Service.ORCHESTRATOR, "/sagas?state=STUCK&orderId=" + orderId).json()
                    .path("content")).hasSize(1);

            // The operator retries (a fresh budget) and the participant comes back.
            var retry = client.adminPost(Service.ORCHESTRATOR, "/sagas/" + sagaId + "/retry");
            assertThat(retry.status()).as(retry.body()).isIn(200, 202);
            assertThat(client.sagaOf(orderId).path("state").asString()).isEqualTo("COMPENSATING");
        } finally {
            platform.resume(Service.INVENTORY);
        }

        awaitSagaState(orderId, "COMPENSATED");
        assertThat(client.awaitTerminal(orderId).path("status").asString()).isEqualTo("REJECTED");
    }

    /**
     * The orchestrator dies while its payment step is outstanding and stays down past the step's deadline. The deadline
     * is in its database, so the restarted orchestrator times the step out at once and compensates; payment-service,
     * frozen until then, answers late, and its late authorization is refunded by the compensation.
     */
    @Test
    void orchestratorKilledMidSagaTimesTheStepOutAfterRestartAndCompensates() {
        EmbeddedPlatform platform = embedded();
        BigDecimal spentBefore = spent("alice");
        UUID orderId = placeWithParticipantFrozen(platform, Service.PAYMENT, "alice", Map.of("SKU-PEN", 5), "AuthorizePayment");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> commandsSent(client.sagaOf(orderId)).contains("AuthorizePayment"));
            platform.kill(Service.ORCHESTRATOR);
            await().atMost(EmbeddedPlatform.STEP_TIMEOUT.plusSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> stepDeadlinePassed(orderId));
            platform.restart(Service.ORCHESTRATOR);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> outcomes(client.sagaOf(orderId)).contains("TIMED_OUT"));
        } finally {
            platform.resume(Service.PAYMENT);
        }

        JsonNode order = client.awaitTerminal(orderId);
        assertThat(order.path("status").asString()).isEqualTo("REJECTED");
        assertThat(order.path("reason").asString()).isEqualTo("TIMED_OUT");
        assertThat(awaitTerminalSaga(orderId).path("state").asString()).isEqualTo("COMPENSATED");
        await().atMost(Duration.ofSeconds(60)).until(() -> spent("alice").compareTo(spentBefore) == 0);
    }

    /** Whether the saga's outstanding step is past its deadline, by the database's clock (the orchestrator's too). */
    private static boolean stepDeadlinePassed(UUID orderId) {
        try (var connection = app.database(Service.ORCHESTRATOR).getConnection();
             var query = connection.prepareStatement("select step_deadline < now() from saga_instance where order_id = ?")) {
            query.setObject(1, orderId);
            try (var rows = query.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Places an order and freezes {@code participant} (SIGSTOP) before it answers {@code command}.
     * Placing an order needs inventory and payment over HTTP, so the freeze can only come right
     * after the 202; if the participant was quicker than that, the attempt is finished and repeated.
     */
    private static UUID placeWithParticipantFrozen(EmbeddedPlatform platform, Service participant, String customerId,
                                                   Map<String, Integer> lines, String command) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            UUID orderId = place(customerId, lines);
            platform.pause(participant);
            boolean answered = false;
            for (JsonNode step : client.sagaOf(orderId).path("history")) {
                answered |= command.equals(step.path("commandType").asString())
                        && !"SENT".equals(step.path("outcome").asString());
            }
            if (!answered) {
                return orderId;
            }
            platform.resume(participant);
            client.awaitTerminal(orderId);
        }
        throw new IllegalStateException(participant.module + " answered " + command + " before it could be frozen, 3 times");
    }

    private static UUID place(String customerId, Map<String, Integer> lines) {
        var response = client.placeOrder(UUID.randomUUID().toString(), customerId, lines, "ORCHESTRATION");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return UUID.fromString(response.json().path("orderId").asString());
    }

    private static JsonNode awaitSagaState(UUID orderId, String state) {
        return awaitSagaState(orderId, state, Duration.ofSeconds(90));
    }

    private static JsonNode awaitSagaState(UUID orderId, String state, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(300))
                .until(() -> state.equals(client.sagaOf(orderId).path("state").asString()));
        return client.sagaOf(orderId);
    }

    private static JsonNode awaitTerminalSaga(UUID orderId) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
                .until(() -> List.of("COMPLETED", "COMPENSATED").contains(client.sagaOf(orderId).path("state").asString()));
        return client.sagaOf(orderId);
    }

    /** Command types in the order the saga first sent them. */
    private static List<String> commandsSent(JsonNode saga) {
        List<String> sent = new ArrayList<>();
        saga.path("history").forEach(step -> {
            String type = step.path("commandType").asString();
            if ("SENT".equals(step.path("outcome").asString()) && !sent.contains(type)) {
                sent.add(type);
            }
        });
        return sent;
    }

    private static List<String> outcomes(JsonNode saga) {
        List<String> outcomes = new ArrayList<>();
        saga.path("history").forEach(step -> outcomes.add(step.path("outcome").asString()));
        return outcomes;
    }

    private static BigDecimal spent(String customerId) {
        JsonNode customer = client.customer(customerId);
        return customer.path("creditLimit").decimalValue().subtract(customer.path("availableCredit").decimalValue());
    }

    private static EmbeddedPlatform embedded() {
        if (!(app instanceof EmbeddedPlatform platform)) {
            throw new org.opentest4j.TestAbortedException("needs the embedded platform to pause and kill processes");
        }
        return platform;
    }
}
