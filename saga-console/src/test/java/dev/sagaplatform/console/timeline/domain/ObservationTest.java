package dev.sagaplatform.console.timeline.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObservationTest {

    @Test
    void takesTheTraceIdFromATraceparent() {
        assertThat(Observation.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(Observation.traceId("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isNull();
        assertThat(Observation.traceId("garbage")).isNull();
        assertThat(Observation.traceId(null)).isNull();
    }

    @Test
    void classifiesOutcomes() {
        assertThat(message("order.events", "OrderApproved", MessageFacts.NONE, null).outcome(false)).isEqualTo(Outcome.SUCCEEDED);
        assertThat(message("payment.events", "PaymentDeclined", MessageFacts.NONE, null).outcome(false)).isEqualTo(Outcome.FAILED);
        assertThat(message("inventory.commands", "ReleaseStock", MessageFacts.NONE, null).outcome(false)).isEqualTo(Outcome.COMPENSATION);
        assertThat(message("payment.commands", "AuthorizePayment", MessageFacts.NONE, null).outcome(false)).isEqualTo(Outcome.SENT);
        assertThat(message("payment.commands", "AuthorizePayment", MessageFacts.NONE, null).outcome(true)).isEqualTo(Outcome.REPLAYED);
        assertThat(message("order.events.DLT", "OrderCreated", MessageFacts.NONE,
                new Observation.DeadLetterDetails("order.events", "payment-service", "boom")).outcome(false)).isEqualTo(Outcome.DEAD_LETTERED);
    }

    @Test
    void namesTheSenderOfAReplyByTheCommandItAnswers() {
        MessageFacts reply = new MessageFacts(null, null, null, null, null, null, null, null, "FAILURE", "ReserveStock");
        Observation observation = message("saga.replies", "SagaReply", reply, null);
        assertThat(observation.sender()).isEqualTo("inventory-service");
        assertThat(observation.outcome(false)).isEqualTo(Outcome.FAILED);
    }

    @Test
    void onlyTheOrdersOwnEventsDecideItsState() {
        assertThat(message("order.events", "OrderCreated", MessageFacts.NONE, null).orderState()).isEqualTo(OrderState.PENDING);
        assertThat(message("order.events", "OrderRejected", MessageFacts.NONE, null).orderState()).isEqualTo(OrderState.REJECTED);
        assertThat(message("order.commands", "ApproveOrder", MessageFacts.NONE, null).orderState()).isNull();
        assertThat(message("order.events.DLT", "OrderApproved", MessageFacts.NONE,
                new Observation.DeadLetterDetails("order.events", "g", null)).orderState()).isNull();
    }

    private static Observation message(String topic, String type, MessageFacts facts, Observation.DeadLetterDetails deadLetter) {
        return new Observation(topic, 0, 1, "k", UUID.randomUUID(), "e", type, null, null, Instant.EPOCH, Map.of(), "{}", facts, deadLetter);
    }
}
