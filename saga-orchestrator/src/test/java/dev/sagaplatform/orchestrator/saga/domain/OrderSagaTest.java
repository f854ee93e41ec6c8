package dev.sagaplatform.orchestrator.saga.domain;

import static dev.sagaplatform.orchestrator.saga.domain.OrderSagaScenario.ORDER;
import static dev.sagaplatform.orchestrator.saga.domain.OrderSagaScenario.SAGA_ID;
import static dev.sagaplatform.orchestrator.saga.domain.OrderSagaScenario.given;
import static dev.sagaplatform.orchestrator.saga.domain.SagaState.COMPENSATED;
import static dev.sagaplatform.orchestrator.saga.domain.SagaState.COMPENSATING;
import static dev.sagaplatform.orchestrator.saga.domain.SagaState.COMPLETED;
import static dev.sagaplatform.orchestrator.saga.domain.SagaState.STARTED;
import static dev.sagaplatform.orchestrator.saga.domain.SagaState.STUCK;
import static dev.sagaplatform.orchestrator.saga.domain.StepOutcome.FAILED;
import static dev.sagaplatform.orchestrator.saga.domain.StepOutcome.WAITING;
import static dev.sagaplatform.orchestrator.saga.domain.StepOutcome.LATE_REPLY_IGNORED;
import static dev.sagaplatform.orchestrator.saga.domain.StepOutcome.RETRIED;
import static dev.sagaplatform.orchestrator.saga.domain.StepOutcome.SENT;
import static dev.sagaplatform.orchestrator.saga.domain.StepOutcome.SUCCEEDED;
import static dev.sagaplatform.orchestrator.saga.domain.StepOutcome.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.saga.ApproveOrder;
import dev.sagaplatform.contracts.saga.AuthorizePayment;
import dev.sagaplatform.contracts.saga.RefundPayment;
import dev.sagaplatform.contracts.saga.RejectOrder;
import dev.sagaplatform.contracts.saga.ReleaseStock;
import dev.sagaplatform.contracts.saga.ReserveStock;
import dev.sagaplatform.contracts.saga.SagaReply;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every branch of the order saga, without a broker or a database. */
class OrderSagaTest {

    private static final Duration TIMEOUT = OrderSagaScenario.POLICY.stepTimeout();
    private static final Duration JUST_BEFORE_TIMEOUT = TIMEOUT.minusMillis(1);

    @Nested
    class Forward {

        @Test
        void happyPathAuthorizesReservesApprovesAndCompletes() {
            given()
                    .whenOrderCreated()
                    .expectCommand(AuthorizePayment.class, command -> {
                        assertThat(command.customerId()).isEqualTo(ORDER.customerId());
                        assertThat(command.amount()).isEqualByComparingTo("25.50");
                    })
                    .expectState(STARTED, "payment").expectHistory(SENT).expectReplyDeadlineIn(TIMEOUT).expectAttempts(1)
                    .andGivenSuccessReply()
                    .expectCommand(ReserveStock.class, command -> assertThat(command.items()).isEqualTo(ORDER.items()))
                    .expectState(STARTED, "stock").expectHistory(SUCCEEDED, SENT).expectReplyDeadlineIn(TIMEOUT)
                    .andGivenSuccessReply()
                    .expectCommands(ApproveOrder.class)
                    .expectState(STARTED, "approval").expectHistory(SUCCEEDED, SENT)
                    .andGivenSuccessReply()
                    .expectNoCommands()
                    .expectState(COMPLETED, "approval").expectHistory(SUCCEEDED).expectNothingDue();
        }

        @Test
        void startingTheSameSagaAgainChangesNothing() {
            given()
                    .whenOrderCreated()
                    .whenOrderCreated()
                    .expectUnchanged().expectNoCommands().expectHistory();
        }

        @Test
        void eachStepHasItsOwnStableCommandId() {
            OrderSagaScenario scenario = given().whenOrderCreated();
            assertThat(scenario.saga().pendingCommandId())
                    .isEqualTo(SagaStateMachine.commandId(SAGA_ID, "payment", StepAction.INVOKE))
                    .isNotEqualTo(SagaStateMachine.commandId(SAGA_ID, "payment", StepAction.COMPENSATE))
                    .isNotEqualTo(SagaStateMachine.commandId(UUID.randomUUID(), "payment", StepAction.INVOKE));
        }
    }

    @Nested
    class Failures {

        @Test
        void declinedPaymentRejectsTheOrderWithTheDeclineReasonAndNothingToUndo() {
            given()
                    .whenOrderCreated()
                    .andGivenFailureReply(RejectionReason.INSUFFICIENT_CREDIT, "credit 10.00 < 25.50")
                    .expectCommand(RejectOrder.class, command -> {
                        assertThat(command.reason()).isEqualTo(RejectionReason.INSUFFICIENT_CREDIT);
                        assertThat(command.reasonDetail()).isEqualTo("credit 10.00 < 25.50");
                    })
                    .expectState(COMPENSATING, "rejection").expectHistory(FAILED, SENT)
                    .expectHistoryDetail(0, "INSUFFICIENT_CREDIT: credit 10.00 < 25.50")
                    .andGivenSuccessReply()
                    .expectNoCommands().expectState(COMPENSATED, "rejection").expectHistory(SUCCEEDED).expectNothingDue();
        }

        @Test
        void rejectedStockRefundsThePaymentThenRejectsTheOrder() {
            given()
                    .whenOrderCreated()
                    .andGivenSuccessReply()
                    .andGivenFailureReply(RejectionReason.OUT_OF_STOCK, "SKU-PEN short by 1")
                    .expectCommand(RefundPayment.class, command -> {
                        assertThat(command.customerId()).isEqualTo(ORDER.customerId());
                        assertThat(command.amount()).isEqualByComparingTo("25.50");
                    })
                    .expectState(COMPENSATING, "payment").expectReason(RejectionReason.OUT_OF_STOCK)
                    .expectHistory(FAILED, SENT)
                    .andGivenSuccessReply()
                    .expectCommand(RejectOrder.class, command -> {
                        assertThat(command.reason()).isEqualTo(RejectionReason.OUT_OF_STOCK);
                        assertThat(command.reasonDetail()).isEqualTo("SKU-PEN short by 1");
                    })
                    .expectState(COMPENSATING, "rejection")
                    .andGivenSuccessReply()
                    .expectState(COMPENSATED, "rejection");
        }

        @Test
        void aFailedApprovalReleasesTheStockRefundsThePaymentAndRejects() {
            given()
                    .whenOrderCreated()
                    .andGivenSuccessReply()
                    .andGivenSuccessReply()
                    .andGivenFailureReply(RejectionReason.PAYMENT_FAILED, "order is already REJECTED")
                    .expectCommand(ReleaseStock.class, command -> assertThat(command.items()).isEqualTo(ORDER.items()))
                    .expectState(COMPENSATING, "stock")
                    .andGivenSuccessReply()
                    .expectCommands(RefundPayment.class).expectState(COMPENSATING, "payment")
                    .andGivenSuccessReply()
                    .expectCommand(RejectOrder.class, command -> assertThat(command.reason()).isEqualTo(RejectionReason.PAYMENT_FAILED))
                    .andGivenSuccessReply()
                    .expectState(COMPENSATED, "rejection");
        }

        @Test
        void aFailedCompensationCannotBeFixedByResendingSoTheSagaIsParkedAtOnce() {
            given()
                    .whenOrderCreated()
                    .andGivenFailureReply(RejectionReason.INSUFFICIENT_CREDIT, null)
                    .andGivenFailureReply(RejectionReason.INSUFFICIENT_CREDIT, "order is already APPROVED")
                    .expectNoCommands().expectState(STUCK, "rejection").expectHistory(FAILED, StepOutcome.STUCK)
                    .expectNothingDue();
        }
    }

    @Nested
    class Timeouts {

        @Test
        void noReplyToAuthorizePaymentRefundsAnywayThenRejectsAsTimedOut() {
            given()
                    .whenOrderCreated()
                    .andGivenNoReplyFor(TIMEOUT)
                    .expectCommand(RefundPayment.class, command -> assertThat(command.amount()).isEqualByComparingTo("25.50"))
                    .expectState(COMPENSATING, "payment").expectReason(RejectionReason.TIMED_OUT)
                    .expectHistory(TIMED_OUT, SENT).expectHistoryStep(0, "payment")
                    .expectHistoryDetail(0, "no reply to AuthorizePayment within 10s")
                    .andGivenSuccessReply()
                    .expectCommand(RejectOrder.class, command -> {
                        assertThat(command.reason()).isEqualTo(RejectionReason.TIMED_OUT);
                        assertThat(command.reasonDetail()).isEqualTo("no reply to AuthorizePayment within 10s");
                    })
                    .andGivenSuccessReply()
                    .expectState(COMPENSATED, "rejection");
        }

        @Test
        void noReplyToReserveStockReleasesAnywayThenRefundsThenRejectsAsTimedOut() {
            given()
                    .whenOrderCreated()
                    .andGivenSuccessReply()
                    .andGivenNoReplyFor(TIMEOUT)
                    .expectCommands(ReleaseStock.class).expectState(COMPENSATING, "stock").expectHistory(TIMED_OUT, SENT)
                    .andGivenSuccessReply()
                    .expectCommands(RefundPayment.class).expectState(COMPENSATING, "payment")
                    .andGivenSuccessReply()
                    .expectCommand(RejectOrder.class, command -> assertThat(command.reason()).isEqualTo(RejectionReason.TIMED_OUT))
                    .andGivenSuccessReply()
                    .expectState(COMPENSATED, "rejection");
        }

        @Test
        void noReplyToThePivotResendsApproveOrderInsteadOfCompensating() {
            OrderSagaScenario scenario = given()
                    .whenOrderCreated()
                    .andGivenSuccessReply()
                    .andGivenSuccessReply()
                    .andGivenNoReplyFor(TIMEOUT)
                    .expectNoCommands().expectState(STARTED, "approval").expectHistory(TIMED_OUT)
                    .expectResendIn(OrderSagaScenario.POLICY.backoff(SAGA_ID, 1));
            scenario
                    .whenDue()
                    .expectCommands(ApproveOrder.class).expectResentSameCommandAsBefore()
                    .expectState(STARTED, "approval").expectHistory(RETRIED).expectAttempts(2).expectReplyDeadlineIn(TIMEOUT)
                    .andGivenSuccessReply()
                    .expectState(COMPLETED, "approval");
        }

        @Test
        void aParticipantBusyWithAQueueGetsMoreTimeInsteadOfACompensation() {
            given()
                    .whenOrderCreated()
                    .andGivenNoReplyFor(TIMEOUT, 250, true, TIMEOUT)
                    .expectNoCommands().expectState(STARTED, "payment").expectReason(null)
                    .expectHistory(WAITING).expectHistoryDetail(0, "working through 250 queued message(s); waiting 10s more (at most 30s in all)")
                    .expectReplyDeadlineIn(TIMEOUT)
                    .andGivenSuccessReply()
                    .expectCommands(ReserveStock.class).expectState(STARTED, "stock");
        }

        @Test
        void aBusyParticipantGetsNoMoreThanTheMaximumWaitThenTheStepTimesOut() {
            given()
                    .whenOrderCreated()
                    .andGivenNoReplyFor(TIMEOUT, 250, true, TIMEOUT)
                    .expectHistory(WAITING)
                    .andGivenNoReplyFor(TIMEOUT, 120, true, TIMEOUT.multipliedBy(2))
                    .expectHistory(WAITING)
                    .andGivenNoReplyFor(TIMEOUT, 40, true, TIMEOUT.multipliedBy(3))
                    .expectCommands(RefundPayment.class).expectState(COMPENSATING, "payment").expectReason(RejectionReason.TIMED_OUT)
                    .expectHistory(TIMED_OUT, SENT);
        }

        @Test
        void aStalledOrIdleParticipantDoesNotExplainTheMissingReply() {
            given()
                    .whenOrderCreated()
                    .andGivenNoReplyFor(TIMEOUT, 250, false, TIMEOUT)
                    .expectCommands(RefundPayment.class).expectReason(RejectionReason.TIMED_OUT);
            given()
                    .whenOrderCreated()
                    .andGivenNoReplyFor(TIMEOUT, 0, true, TIMEOUT)
                    .expectCommands(RefundPayment.class).expectReason(RejectionReason.TIMED_OUT);
        }

        @Test
        void aSagaWhoseTransitionKeepsFailingIsParkedWithTheErrorAndAnEndedOneIsLeftAlone() {
            given()
                    .whenOrderCreated()
                    .whenItsTransitionKeepsFailing("moving the saga on failed 3 times: boom")
                    .expectNoCommands().expectState(STUCK, "payment").expectHistory(StepOutcome.STUCK)
                    .expectHistoryDetail(0, "boom")
                    .whenOperatorRetries()
                    .expectCommands(AuthorizePayment.class).expectState(STARTED, "payment");
            given()
                    .whenOrderCreated()
                    .andGivenSuccessReply().andGivenSuccessReply().andGivenSuccessReply()
                    .expectState(COMPLETED, "approval")
                    .whenItsTransitionKeepsFailing("boom")
                    .expectNoCommands().expectState(COMPLETED, "approval").expectHistory();
        }

        @Test
        void thePollerArrivingBeforeTheDeadlineChangesNothing() {
            given()
                    .whenOrderCreated()
                    .andGivenNoReplyFor(JUST_BEFORE_TIMEOUT)
                    .expectUnchanged().expectNoCommands().expectHistory();
        }

        @Test
        void aReplyThatBeatsThePollerCountsEvenPastTheDeadline() {
            given()
                    .whenOrderCreated()
                    .andGivenNoReplyFor(JUST_BEFORE_TIMEOUT)
                    .andGivenSuccessReply()
                    .expectCommands(ReserveStock.class).expectState(STARTED, "stock");
        }
    }

    @Nested
    class UnexpectedReplies {

        @Test
        void aLateSuccessAfterATimeoutIsRecordedAndChangesNothing() {
            given()
                    .whenOrderCreated()
                    .andGivenSuccessReply()
                    .andGivenNoReplyFor(TIMEOUT)
                    .expectCommands(ReleaseStock.class)
                    .andGivenReplyTo(ReserveStock.class, SagaReply.Outcome.SUCCESS)
                    .expectUnchanged().expectNoCommands().expectHistory(LATE_REPLY_IGNORED).expectHistoryStep(0, "stock")
                    .expectHistoryDetail(0, "SUCCESS, but the saga waits for ReleaseStock (stock)")
                    .expectState(COMPENSATING, "stock")
                    .andGivenSuccessReply()
                    .expectCommands(RefundPayment.class);
        }

        @Test
        void withThePlantedBugALateSuccessAfterATimeoutMovesTheSagaForwardNextToItsCompensation() {
            OrderSagaScenario.givenThePlantedLateReplyBug()
                    .whenOrderCreated()
                    .andGivenSuccessReply()
                    .andGivenNoReplyFor(TIMEOUT)
                    .expectCommands(ReleaseStock.class)
                    .andGivenReplyTo(ReserveStock.class, SagaReply.Outcome.SUCCESS)
                    .expectCommands(ApproveOrder.class).expectState(STARTED, "approval");
        }

        @Test
        void aLateFailureAfterATimeoutIsRecordedAndChangesNothing() {
            given()
                    .whenOrderCreated()
                    .andGivenNoReplyFor(TIMEOUT)
                    .andGivenReplyTo(AuthorizePayment.class, SagaReply.Outcome.FAILURE)
                    .expectUnchanged().expectNoCommands().expectHistory(LATE_REPLY_IGNORED)
                    .expectReason(RejectionReason.TIMED_OUT).expectState(COMPENSATING, "payment");
        }

        @Test
        void aDuplicateReplyIsRecordedOnceMoreAndChangesNothing() {
            given()
                    .whenOrderCreated()
                    .andGivenSuccessReply()
                    .expectCommands(ReserveStock.class)
                    .andGivenReplyTo(AuthorizePayment.class, SagaReply.Outcome.SUCCESS)
                    .expectUnchanged().expectNoCommands().expectHistory(LATE_REPLY_IGNORED).expectHistoryStep(0, "payment")
                    .expectState(STARTED, "stock");
        }

        @Test
        void aReplyToACommandIdTheSagaNeverSentIsRecordedAndChangesNothing() {
            given()
                    .whenOrderCreated()
                    .andGivenReply(new SagaReply(UUID.randomUUID(), SAGA_ID, ORDER.orderId(), "AuthorizePayment",
                            SagaReply.Outcome.SUCCESS, null, null))
                    .expectUnchanged().expectHistory(LATE_REPLY_IGNORED).expectHistoryStep(0, "unknown")
                    .expectState(STARTED, "payment");
        }

        @Test
        void aReplyAfterTheSagaEndedIsRecordedAndChangesNothing() {
            given()
                    .whenOrderCreated()
                    .andGivenSuccessReply()
                    .andGivenSuccessReply()
                    .andGivenSuccessReply()
                    .andGivenReplyTo(ApproveOrder.class, SagaReply.Outcome.SUCCESS)
                    .expectUnchanged().expectHistory(LATE_REPLY_IGNORED).expectHistoryDetail(0, "after the saga was COMPLETED");
        }
    }

    @Nested
    class CompensationRetries {

        /** Stock rejected, then RefundPayment is never answered. */
        private OrderSagaScenario refundPending() {
            return given()
                    .whenOrderCreated()
                    .andGivenSuccessReply()
                    .andGivenFailureReply(RejectionReason.OUT_OF_STOCK, "SKU-PEN short by 1")
                    .expectCommands(RefundPayment.class);
        }

        @Test
        void anUnansweredCompensationIsResentWithGrowingPausesThenParked() {
            Duration firstPause = OrderSagaScenario.POLICY.backoff(SAGA_ID, 1);
            Duration secondPause = OrderSagaScenario.POLICY.backoff(SAGA_ID, 2);
            assertThat(secondPause).isGreaterThan(firstPause);

            refundPending()
                    .andGivenNoReplyFor(TIMEOUT)
                    .expectNoCommands().expectHistory(TIMED_OUT).expectHistoryDetail(0, "attempt 2 of 3 in")
                    .expectState(COMPENSATING, "payment").expectResendIn(firstPause)
                    .whenDue()
                    .expectCommands(RefundPayment.class).expectResentSameCommandAsBefore()
                    .expectHistory(RETRIED).expectAttempts(2).expectReplyDeadlineIn(TIMEOUT)
                    .andGivenNoReplyFor(TIMEOUT)
                    .expectResendIn(secondPause)
                    .whenDue()
                    .expectCommands(RefundPayment.class).expectAttempts(3)
                    .andGivenNoReplyFor(TIMEOUT)
                    .expectNoCommands().expectHistory(TIMED_OUT, StepOutcome.STUCK)
                    .expectHistoryDetail(1, "no reply to RefundPayment after 3 attempts")
                    .expectState(STUCK, "payment").expectNothingDue()
                    .andGivenNoReplyFor(Duration.ofHours(1))
                    .expectUnchanged().expectNoCommands();
        }

        @Test
        void aReplyToAnEarlierSendOfTheSameCompensationCountsWhileBackingOff() {
            refundPending()
                    .andGivenNoReplyFor(TIMEOUT)
                    .andGivenSuccessReply()
                    .expectCommands(RejectOrder.class).expectState(COMPENSATING, "rejection");
        }

        @Test
        void anOperatorRetryResumesTheParkedCompensationWithAFreshBudget() {
            OrderSagaScenario parked = refundPending()
                    .andGivenNoReplyFor(TIMEOUT).whenDue()
                    .andGivenNoReplyFor(TIMEOUT).whenDue()
                    .andGivenNoReplyFor(TIMEOUT)
                    .expectState(STUCK, "payment");

            parked
                    .whenOperatorRetries()
                    .expectCommands(RefundPayment.class).expectResentSameCommandAsBefore()
                    .expectState(COMPENSATING, "payment").expectHistory(RETRIED).expectHistoryDetail(0, "operator retry")
                    .expectAttempts(1).expectReplyDeadlineIn(TIMEOUT)
                    .andGivenSuccessReply()
                    .expectCommand(RejectOrder.class, command -> assertThat(command.reason()).isEqualTo(RejectionReason.OUT_OF_STOCK))
                    .andGivenSuccessReply()
                    .expectState(COMPENSATED, "rejection");
        }

        @Test
        void anOperatorRetryOfAParkedPivotResendsApproveOrder() {
            given()
                    .whenOrderCreated().andGivenSuccessReply().andGivenSuccessReply()
                    .andGivenNoReplyFor(TIMEOUT).whenDue()
                    .andGivenNoReplyFor(TIMEOUT).whenDue()
                    .andGivenNoReplyFor(TIMEOUT)
                    .expectState(STUCK, "approval")
                    .whenOperatorRetries()
                    .expectCommands(ApproveOrder.class).expectState(STARTED, "approval").expectAttempts(1);
        }

        @Test
        void aLateAnswerToAParkedCompensationResumesTheSaga() {
            refundPending()
                    .andGivenNoReplyFor(TIMEOUT).whenDue()
                    .andGivenNoReplyFor(TIMEOUT).whenDue()
                    .andGivenNoReplyFor(TIMEOUT)
                    .expectState(STUCK, "payment")
                    .andGivenSuccessReply()
                    .expectCommands(RejectOrder.class).expectState(COMPENSATING, "rejection").expectReplyDeadlineIn(TIMEOUT);
        }

        @Test
        void onlyAParkedSagaCanBeRetried() {
            given()
                    .whenOrderCreated()
                    .whenOperatorRetries()
                    .expectRefused().expectState(STARTED, "payment");
        }
    }

    @Nested
    class Backoff {

        private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMillis(500),
                Duration.ofSeconds(8), 10, 0.2);

        @Test
        void pausesDoubleUpToTheCapAndJitterOnlyShortensThem() {
            for (int i = 0; i < 200; i++) {
                UUID sagaId = UUID.randomUUID();
                for (int attempt = 1; attempt <= 8; attempt++) {
                    long nominal = Math.min(8000, 500L << (attempt - 1));
                    assertThat(policy.backoff(sagaId, attempt).toMillis()).isBetween(Math.round(nominal * 0.8), nominal);
                }
            }
        }

        @Test
        void theSameSagaAndAttemptAlwaysGetTheSamePauseButSagasSpreadOut() {
            UUID sagaId = UUID.randomUUID();
            assertThat(policy.backoff(sagaId, 3)).isEqualTo(policy.backoff(sagaId, 3));
            long distinct = java.util.stream.IntStream.range(0, 50)
                    .mapToObj(i -> policy.backoff(UUID.randomUUID(), 3)).distinct().count();
            assertThat(distinct).isGreaterThan(10);
        }
    }

    @Nested
    class Definition {

        @Test
        void readsAsPaymentStockApprovalWithRejectionToClose() {
            assertThat(OrderSaga.DEFINITION.steps()).extracting(SagaDefinition.Step::name)
                    .containsExactly("payment", "stock", "approval");
            assertThat(OrderSaga.DEFINITION.steps()).extracting(SagaDefinition.Step::isPivot)
                    .containsExactly(false, false, true);
            assertThat(OrderSaga.DEFINITION.closingStep()).isEqualTo("rejection");
        }

        @Test
        void aStepWithoutCompensationIsRefusedUnlessItIsThePivot() {
            var builder = SagaDefinition.<OrderSagaData>saga("broken").step("payment").invoke(OrderSaga::authorizePayment);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.compensateWith(null))
                    .hasMessageContaining("step 'payment' needs a compensation");
        }
    }
}
