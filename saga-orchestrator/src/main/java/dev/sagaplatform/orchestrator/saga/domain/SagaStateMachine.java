package dev.sagaplatform.orchestrator.saga.domain;

import dev.sagaplatform.contracts.MessageCatalog;
import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.saga.SagaCommand;
import dev.sagaplatform.contracts.saga.SagaReply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs a {@link SagaDefinition}: {@code (saga, event, now) → (new saga, commands, history)}. No clock,
 * no randomness, no I/O: the adapter persists the result and sends the commands in one transaction, and a
 * simulator can drive the same code through loss, duplication, reordering and crashes.
 *
 * <p>Rules that hold for every definition:
 * <ul>
 *   <li>A reply counts only if it answers the pending command (by command id); any other reply is
 *       recorded as {@link StepOutcome#LATE_REPLY_IGNORED} and changes nothing. That covers late replies
 *       after a timeout, duplicates and replies to commands the saga has moved past.</li>
 *   <li>A forward command is sent once. Its timeout is treated like a failure, except that the timed-out
 *       step is compensated too (its effect is unknown).</li>
 *   <li>A deadline that passes while the participant is still consuming a queue of messages is moved on by
 *       one step timeout instead ({@link StepOutcome#WAITING}), up to {@link RetryPolicy#maxBusyWait()} in
 *       all: a long queue is not a failure, and compensating would only lengthen it.</li>
 *   <li>Commands that must finish (compensations, the pivot, the closing command) are re-sent with the
 *       same command id after a timeout, with backoff, until the budget is spent; then the saga is STUCK.</li>
 *   <li>A FAILURE reply to a compensation or to the closing command cannot be fixed by re-sending: the
 *       saga is parked at once.</li>
 *   <li>A saga whose own transition keeps failing (a bug, bad data) is parked with the error, so that
 *       it cannot hold up the deadlines of every other saga.</li>
 * </ul>
 */
public final class SagaStateMachine<D extends SagaData> {

    private final SagaDefinition<D> definition;
    private final RetryPolicy policy;
    private final boolean plantedLateReplyBug;

    public SagaStateMachine(SagaDefinition<D> definition, RetryPolicy policy) {
        this(definition, policy, false);
    }

    /**
     * @param plantedLateReplyBug a deliberately broken machine, for the simulator's proof that it finds the bug
     *                            (PlantedBug.LATE_REPLY_TAKES_EFFECT): a SUCCESS reply to a forward command the saga
     *                            has moved past takes effect as if it were still pending, next to the compensation
     *                            its timeout already started
     */
    public SagaStateMachine(SagaDefinition<D> definition, RetryPolicy policy, boolean plantedLateReplyBug) {
        this.definition = Objects.requireNonNull(definition, "definition must not be null");
        this.policy = Objects.requireNonNull(policy, "policy must not be null");
        this.plantedLateReplyBug = plantedLateReplyBug;
    }

    public SagaDefinition<D> definition() {
        return definition;
    }

    public RetryPolicy policy() {
        return policy;
    }

    /**
     * @param saga the saga as stored, or null if it does not exist yet (only {@code Started} accepts null)
     */
    public Transition<D> decide(Saga<D> saga, SagaEvent<D> event, Instant now) {
        Objects.requireNonNull(event, "event must not be null");
        Objects.requireNonNull(now, "now must not be null");
        if (event instanceof SagaEvent.Started<D> started) {
            return saga != null ? new Decision(saga, now).unchanged() : start(started, now);
        }
        Objects.requireNonNull(saga, () -> event + " needs an existing saga");
        Decision decision = new Decision(saga, now);
        if (event instanceof SagaEvent.ReplyReceived<D> received) {
            return onReply(decision, received.reply());
        }
        if (event instanceof SagaEvent.DeadlinePassed<D> deadline) {
            return onDeadline(decision, deadline.backlog());
        }
        if (event instanceof SagaEvent.RetryRequested) {
            return onRetry(decision);
        }
        if (event instanceof SagaEvent.TransitionFailed<D> failed) {
            if (!saga.state().isWaiting()) {
                return decision.unchanged();
            }
            park(decision, failed.error());
            return decision.transition();
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    /**
     * Command ids are derived from the saga and the position, not drawn at random: a re-sent command
     * keeps its id, so a reply to any of its sends is accepted, and a replay is reproducible.
     */
    public static UUID commandId(UUID sagaId, String step, StepAction action) {
        return UUID.nameUUIDFromBytes((sagaId + "/" + step + "/" + action).getBytes(StandardCharsets.UTF_8));
    }

    private Transition<D> start(SagaEvent.Started<D> started, Instant now) {
        String step = definition.first().name();
        UUID id = commandId(started.sagaId(), step, StepAction.INVOKE);
        Decision decision = new Decision(null, now);
        String type = decision.emit(definition.first().invoke()
                .create(new CommandContext<>(id, started.sagaId(), started.data(), null, null)), step, id);
        decision.saga = new Saga<>(started.sagaId(), started.data(), SagaState.STARTED, step, StepAction.INVOKE,
                id, type, now.plus(policy.stepTimeout()), null, 1, null, null);
        return decision.transition();
    }

    private Transition<D> onReply(Decision decision, SagaReply reply) {
        Saga<D> saga = decision.saga;
        if (plantedLateReplyBug && !saga.state().isTerminal() && reply.outcome() == SagaReply.Outcome.SUCCESS
                && !reply.commandId().equals(saga.pendingCommandId()) && !"unknown".equals(stepOf(saga, reply))
                && reply.commandId().equals(commandId(saga.id(), stepOf(saga, reply), StepAction.INVOKE))) {
            saga = saga.pending(SagaState.STARTED, stepOf(saga, reply), StepAction.INVOKE, reply.commandId(),
                    reply.commandType(), saga.deadline(), saga.attempts());
            decision.saga = saga;
        }
        if (saga.state().isTerminal() || !reply.commandId().equals(saga.pendingCommandId())) {
            decision.record(stepOf(saga, reply), reply.commandType(), reply.commandId(), StepOutcome.LATE_REPLY_IGNORED,
                    reply.outcome() + (saga.state().isTerminal()
                            ? " after the saga was " + saga.state()
                            : ", but the saga waits for " + saga.pendingCommandType() + " (" + saga.step() + ")"));
            return decision.unchanged();
        }
        boolean success = reply.outcome() == SagaReply.Outcome.SUCCESS;
        decision.recordPending(success ? StepOutcome.SUCCEEDED : StepOutcome.FAILED,
                success ? null : reply.reason() + (reply.reasonDetail() == null ? "" : ": " + reply.reasonDetail()));
        if (saga.action() == StepAction.INVOKE) {
            if (success) {
                Optional<SagaDefinition.Step<D>> next = definition.next(saga.step());
                if (next.isPresent()) {
                    decision.send(saga, SagaState.STARTED, next.get().name(), StepAction.INVOKE);
                } else {
                    decision.saga = saga.finished(SagaState.COMPLETED);
                }
            } else {
                decision.saga = saga.compensatingBecause(reply.reason(), reply.reasonDetail());
                compensateFrom(decision, definition.indexOf(saga.step()) - 1);
            }
        } else if (success) {
            if (saga.step().equals(definition.closingStep())) {
                decision.saga = saga.finished(SagaState.COMPENSATED);
            } else {
                decision.saga = saga.withState(SagaState.COMPENSATING);
                compensateFrom(decision, definition.indexOf(saga.step()) - 1);
            }
        } else {
            park(decision, saga.pendingCommandType() + " failed, which re-sending cannot fix");
        }
        return decision.transition();
    }

    private Transition<D> onDeadline(Decision decision, ParticipantBacklog backlog) {
        Saga<D> saga = decision.saga;
        Instant now = decision.now;
        if (!saga.state().isWaiting()) {
            return decision.unchanged();
        }
        if (saga.nextRetryAt() != null) {
            if (now.isBefore(saga.nextRetryAt())) {
                return decision.unchanged();
            }
            decision.resend(saga, saga.state(), saga.attempts() + 1,
                    "attempt " + (saga.attempts() + 1) + " of " + policy.maxAttempts());
            return decision.transition();
        }
        if (saga.deadline() == null || now.isBefore(saga.deadline())) {
            return decision.unchanged();
        }
        String noReply = "no reply to " + saga.pendingCommandType() + " within " + human(policy.stepTimeout());
        if (backlog.explainsTheWait() && backlog.waitedSoFar().plus(policy.stepTimeout()).compareTo(policy.maxBusyWait()) <= 0) {
            // A long queue, not a dead participant: timing out now would compensate an order that is merely
            // waiting its turn, and the compensation would add to the very queue that delayed it.
            decision.recordPending(StepOutcome.WAITING, noReply + ", but its participant is working through "
                    + backlog.queued() + " queued message(s); waiting " + human(policy.stepTimeout()) + " more (at most "
                    + human(policy.maxBusyWait()) + " in all)");
            decision.saga = saga.waitingUntil(now.plus(policy.stepTimeout()));
            return decision.transition();
        }
        if (saga.action() == StepAction.INVOKE && !definition.steps().get(definition.indexOf(saga.step())).isPivot()) {
            decision.recordPending(StepOutcome.TIMED_OUT, noReply);
            decision.saga = saga.compensatingBecause(RejectionReason.TIMED_OUT, noReply);
            compensateFrom(decision, definition.indexOf(saga.step()));
        } else if (saga.attempts() >= policy.maxAttempts()) {
            decision.recordPending(StepOutcome.TIMED_OUT, noReply);
            park(decision, "no reply to " + saga.pendingCommandType() + " after " + saga.attempts() + " attempts");
        } else {
            Duration pause = policy.backoff(saga.id(), saga.attempts());
            decision.recordPending(StepOutcome.TIMED_OUT, noReply + "; attempt " + (saga.attempts() + 1) + " of "
                    + policy.maxAttempts() + " in " + human(pause));
            decision.saga = saga.retryAt(now.plus(pause));
        }
        return decision.transition();
    }

    private Transition<D> onRetry(Decision decision) {
        Saga<D> saga = decision.saga;
        if (saga.state() != SagaState.STUCK) {
            return decision.refuse("saga " + saga.id() + " is " + saga.state() + "; only a STUCK saga can be retried");
        }
        SagaState resumed = saga.action() == StepAction.INVOKE ? SagaState.STARTED : SagaState.COMPENSATING;
        decision.resend(saga, resumed, 1, "operator retry, attempt 1 of " + policy.maxAttempts());
        return decision.transition();
    }

    /** Sends the first compensation among steps {@code 0..fromIndex}, in reverse, or the closing command. */
    private void compensateFrom(Decision decision, int fromIndex) {
        Optional<SagaDefinition.Step<D>> step = definition.lastCompensatableAtOrBefore(fromIndex);
        if (step.isPresent()) {
            decision.send(decision.saga, SagaState.COMPENSATING, step.get().name(), StepAction.COMPENSATE);
        } else {
            decision.send(decision.saga, SagaState.COMPENSATING, definition.closingStep(), StepAction.COMPENSATE);
        }
    }

    private void park(Decision decision, String why) {
        decision.recordPending(StepOutcome.STUCK, why);
        decision.saga = decision.saga.parked();
    }

    /** Which step a reply belongs to; the command id says it exactly, since ids are derived from positions. */
    private String stepOf(Saga<D> saga, SagaReply reply) {
        return definition.positions().stream()
                .filter(position -> commandId(saga.id(), position.step(), position.action()).equals(reply.commandId()))
                .map(SagaDefinition.StepRef::step)
                .findFirst()
                .orElse("unknown");
    }

    private static String human(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** The saga, the commands and the history of one decision, built up step by step. */
    private final class Decision {

        private final Saga<D> before;
        private final Instant now;
        private final List<SagaCommand> commands = new ArrayList<>();
        private final List<HistoryEntry> history = new ArrayList<>();
        private Saga<D> saga;

        Decision(Saga<D> before, Instant now) {
            this.before = before;
            this.saga = before;
            this.now = now;
        }

        void send(Saga<D> from, SagaState state, String step, StepAction action) {
            UUID id = commandId(from.id(), step, action);
            String type = emit(build(from, step, action, id), step, id);
            saga = from.pending(state, step, action, id, type, now.plus(policy.stepTimeout()), 1);
        }

        String emit(SagaCommand command, String step, UUID id) {
            String type = MessageCatalog.of(command.getClass()).name();
            commands.add(command);
            history.add(new HistoryEntry(now, step, type, id, StepOutcome.SENT, null));
            return type;
        }

        void resend(Saga<D> from, SagaState state, int attempts, String detail) {
            commands.add(build(from, from.step(), from.action(), from.pendingCommandId()));
            history.add(new HistoryEntry(now, from.step(), from.pendingCommandType(), from.pendingCommandId(),
                    StepOutcome.RETRIED, detail));
            saga = from.pending(state, from.step(), from.action(), from.pendingCommandId(), from.pendingCommandType(),
                    now.plus(policy.stepTimeout()), attempts);
        }

        private SagaCommand build(Saga<D> from, String step, StepAction action, UUID id) {
            return definition.factory(step, action)
                    .create(new CommandContext<>(id, from.id(), from.data(), from.reason(), from.reasonDetail()));
        }

        void recordPending(StepOutcome outcome, String detail) {
            record(saga.step(), saga.pendingCommandType(), saga.pendingCommandId(), outcome, detail);
        }

        void record(String step, String commandType, UUID commandId, StepOutcome outcome, String detail) {
            history.add(new HistoryEntry(now, step, commandType, commandId, outcome, detail));
        }

        Transition<D> unchanged() {
            return new Transition<>(before, before, List.of(), history, null);
        }

        Transition<D> refuse(String why) {
            return new Transition<>(before, before, List.of(), List.of(), why);
        }

        Transition<D> transition() {
            return new Transition<>(before, saga, commands, history, null);
        }
    }
}
