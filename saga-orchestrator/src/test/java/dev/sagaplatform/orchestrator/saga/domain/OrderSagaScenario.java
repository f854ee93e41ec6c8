package dev.sagaplatform.orchestrator.saga.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.saga.SagaCommand;
import dev.sagaplatform.contracts.saga.SagaReply;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Given/expect driver for the order saga (after ftgo's {@code SagaUnitTestSupport}): each {@code when...}
 * or {@code andGiven...} feeds one event to the state machine at the scenario's clock, each
 * {@code expect...} checks what that one event produced.
 */
final class OrderSagaScenario {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    static final RetryPolicy POLICY = new RetryPolicy(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(1),
            Duration.ofSeconds(4), 3, 0.2);
    static final OrderSagaData ORDER = new OrderSagaData(UUID.fromString("00000000-0000-0000-0000-00000000000a"),
            "customer-1", new BigDecimal("25.50"),
            List.of(new OrderLine("SKU-PEN", 3, new BigDecimal("1.50")), new OrderLine("SKU-BOOK", 1, new BigDecimal("21.00"))));
    static final UUID SAGA_ID = UUID.fromString("00000000-0000-0000-0000-0000000000cc");

    private SagaStateMachine<OrderSagaData> machine = new SagaStateMachine<>(OrderSaga.DEFINITION, POLICY);
    private final List<SagaCommand> sent = new ArrayList<>();
    private Saga<OrderSagaData> saga;
    private Transition<OrderSagaData> last;
    private Instant now = T0;

    private OrderSagaScenario() {
    }

    static OrderSagaScenario given() {
        return new OrderSagaScenario();
    }

    /** The deliberately broken machine the simulator must catch (PlantedBug.LATE_REPLY_TAKES_EFFECT). */
    static OrderSagaScenario givenThePlantedLateReplyBug() {
        OrderSagaScenario scenario = new OrderSagaScenario();
        scenario.machine = new SagaStateMachine<>(OrderSaga.DEFINITION, POLICY, true);
        return scenario;
    }

    // --- events -------------------------------------------------------------------------------

    OrderSagaScenario whenOrderCreated() {
        return apply(SagaEvent.started(SAGA_ID, ORDER));
    }

    OrderSagaScenario andGivenSuccessReply() {
        return apply(SagaEvent.reply(SagaReply.success(pending())));
    }

    OrderSagaScenario andGivenFailureReply(RejectionReason reason, String detail) {
        return apply(SagaEvent.reply(SagaReply.failure(pending(), reason, detail)));
    }

    /** A reply to the last command of this type the saga sent, pending or not. */
    OrderSagaScenario andGivenReplyTo(Class<? extends SagaCommand> type, SagaReply.Outcome outcome) {
        SagaCommand command = lastSent(type);
        return apply(SagaEvent.reply(outcome == SagaReply.Outcome.SUCCESS
                ? SagaReply.success(command)
                : SagaReply.failure(command, RejectionReason.PAYMENT_FAILED, "late failure")));
    }

    OrderSagaScenario andGivenReply(SagaReply reply) {
        return apply(SagaEvent.reply(reply));
    }

    /** Time passes, then the deadline poller looks at the saga. */
    OrderSagaScenario andGivenNoReplyFor(Duration elapsed) {
        now = now.plus(elapsed);
        return apply(SagaEvent.deadlinePassed());
    }

    /** Time passes without a reply, while the participant is seen with {@code queued} messages, consuming them or not. */
    OrderSagaScenario andGivenNoReplyFor(Duration elapsed, long queued, boolean consuming, Duration waitedSoFar) {
        now = now.plus(elapsed);
        return apply(SagaEvent.deadlinePassed(new ParticipantBacklog(queued, consuming, waitedSoFar)));
    }

    /** The poller runs exactly when the saga is due. */
    OrderSagaScenario whenDue() {
        now = saga.dueAt();
        return apply(SagaEvent.deadlinePassed());
    }

    OrderSagaScenario whenItsTransitionKeepsFailing(String error) {
        return apply(SagaEvent.transitionFailed(error));
    }

    OrderSagaScenario whenOperatorRetries() {
        return apply(SagaEvent.retryRequested());
    }

    private OrderSagaScenario apply(SagaEvent<OrderSagaData> event) {
        last = machine.decide(saga, event, now);
        saga = last.after();
        sent.addAll(last.commands());
        return this;
    }

    // --- expectations about the last event ----------------------------------------------------

    @SafeVarargs
    final OrderSagaScenario expectCommands(Class<? extends SagaCommand>... types) {
        assertThat(last.commands().stream().<Class<?>>map(Object::getClass).toList()).containsExactly(types);
        return this;
    }

    <T extends SagaCommand> OrderSagaScenario expectCommand(Class<T> type, Consumer<T> check) {
        expectCommands(type);
        T command = type.cast(last.commands().get(0));
        assertThat(command.sagaId()).isEqualTo(SAGA_ID);
        assertThat(command.orderId()).isEqualTo(ORDER.orderId());
        assertThat(command.commandId()).isEqualTo(saga.pendingCommandId());
        check.accept(command);
        return this;
    }

    OrderSagaScenario expectNoCommands() {
        assertThat(last.commands()).isEmpty();
        return this;
    }

    OrderSagaScenario expectState(SagaState state, String step) {
        assertThat(saga.state()).isEqualTo(state);
        assertThat(saga.step()).isEqualTo(step);
        return this;
    }

    OrderSagaScenario expectUnchanged() {
        assertThat(last.changed()).as("saga changed").isFalse();
        return this;
    }

    OrderSagaScenario expectHistory(StepOutcome... outcomes) {
        assertThat(last.history()).extracting(HistoryEntry::outcome).containsExactly(outcomes);
        assertThat(last.history()).allSatisfy(entry -> assertThat(entry.at()).isEqualTo(now));
        return this;
    }

    OrderSagaScenario expectHistoryDetail(int index, String fragment) {
        assertThat(last.history().get(index).detail()).contains(fragment);
        return this;
    }

    OrderSagaScenario expectHistoryStep(int index, String step) {
        assertThat(last.history().get(index).step()).isEqualTo(step);
        return this;
    }

    OrderSagaScenario expectReplyDeadlineIn(Duration duration) {
        assertThat(saga.deadline()).isEqualTo(now.plus(duration));
        assertThat(saga.nextRetryAt()).isNull();
        return this;
    }

    OrderSagaScenario expectResendIn(Duration duration) {
        assertThat(saga.nextRetryAt()).isEqualTo(now.plus(duration));
        assertThat(saga.deadline()).isNull();
        return this;
    }

    OrderSagaScenario expectNothingDue() {
        assertThat(saga.dueAt()).isNull();
        return this;
    }

    OrderSagaScenario expectAttempts(int attempts) {
        assertThat(saga.attempts()).isEqualTo(attempts);
        return this;
    }

    OrderSagaScenario expectReason(RejectionReason reason) {
        assertThat(saga.reason()).isEqualTo(reason);
        return this;
    }

    OrderSagaScenario expectRefused() {
        assertThat(last.refused()).isTrue();
        assertThat(last.changed()).isFalse();
        assertThat(last.commands()).isEmpty();
        return this;
    }

    /** The command just sent is the very same one (same id, same content) as an earlier send. */
    OrderSagaScenario expectResentSameCommandAsBefore() {
        assertThat(last.commands()).hasSize(1);
        SagaCommand resent = last.commands().get(0);
        assertThat(sent.subList(0, sent.size() - 1)).contains(resent);
        return this;
    }

    Saga<OrderSagaData> saga() {
        return saga;
    }

    Instant now() {
        return now;
    }

    private SagaCommand pending() {
        return sent.stream().filter(c -> c.commandId().equals(saga.pendingCommandId())).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no pending command; sent: " + Arrays.toString(sent.toArray())));
    }

    private SagaCommand lastSent(Class<? extends SagaCommand> type) {
        return sent.stream().filter(type::isInstance).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " was sent"));
    }
}
