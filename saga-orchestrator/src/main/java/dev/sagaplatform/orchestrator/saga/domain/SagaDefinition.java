package dev.sagaplatform.orchestrator.saga.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A saga as data: compensatable steps in order, then one pivot, then the command that closes a
 * compensated saga. The builder only accepts that shape, so a definition reads top to bottom:
 * <pre>
 * SagaDefinition.&lt;OrderSagaData&gt;saga("order")
 *         .step("payment").invoke(...).compensateWith(...)
 *         .step("stock").invoke(...).compensateWith(...)
 *         .pivot("approval").invoke(...)
 *         .whenCompensated("rejection", ...)
 * </pre>
 * The pivot has no compensation: once it has been sent the saga can only go forward, so it is re-sent
 * (it must be idempotent) until it is answered.
 */
public final class SagaDefinition<D extends SagaData> {

    /** One step: its forward command and, except for the pivot, the command that undoes it. */
    public record Step<D extends SagaData>(String name, CommandFactory<D> invoke, CommandFactory<D> compensation) {

        public boolean isPivot() {
            return compensation == null;
        }
    }

    private final String name;
    private final List<Step<D>> steps;
    private final String closingStep;
    private final CommandFactory<D> closingCommand;

    private SagaDefinition(String name, List<Step<D>> steps, String closingStep, CommandFactory<D> closingCommand) {
        this.name = name;
        this.steps = List.copyOf(steps);
        this.closingStep = closingStep;
        this.closingCommand = closingCommand;
    }

    public static <D extends SagaData> Builder<D> saga(String name) {
        return new Builder<>(name);
    }

    public String name() {
        return name;
    }

    public List<Step<D>> steps() {
        return steps;
    }

    /** The step that closes a compensated saga (e.g. rejecting the order); it is not undone either. */
    public String closingStep() {
        return closingStep;
    }

    public Step<D> first() {
        return steps.get(0);
    }

    public int indexOf(String stepName) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name().equals(stepName)) {
                return i;
            }
        }
        throw new IllegalArgumentException("saga " + name + " has no step '" + stepName + "'");
    }

    public Optional<Step<D>> next(String stepName) {
        int next = indexOf(stepName) + 1;
        return next < steps.size() ? Optional.of(steps.get(next)) : Optional.empty();
    }

    /** The compensation to run first when compensating steps {@code 0..fromIndex}, if any of them has one. */
    public Optional<Step<D>> lastCompensatableAtOrBefore(int fromIndex) {
        for (int i = Math.min(fromIndex, steps.size() - 1); i >= 0; i--) {
            if (!steps.get(i).isPivot()) {
                return Optional.of(steps.get(i));
            }
        }
        return Optional.empty();
    }

    /** The factory of the command a saga at {@code (step, action)} has pending, e.g. to re-send it. */
    public CommandFactory<D> factory(String stepName, StepAction action) {
        if (stepName.equals(closingStep)) {
            return closingCommand;
        }
        Step<D> step = steps.get(indexOf(stepName));
        if (action == StepAction.INVOKE) {
            return step.invoke();
        }
        if (step.isPivot()) {
            throw new IllegalArgumentException("step '" + stepName + "' is the pivot and has no compensation");
        }
        return step.compensation();
    }

    /** Every (step, action) this saga can have pending, in the order they may happen. */
    public List<StepRef> positions() {
        List<StepRef> positions = new ArrayList<>();
        steps.forEach(step -> positions.add(new StepRef(step.name(), StepAction.INVOKE)));
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (!steps.get(i).isPivot()) {
                positions.add(new StepRef(steps.get(i).name(), StepAction.COMPENSATE));
            }
        }
        positions.add(new StepRef(closingStep, StepAction.COMPENSATE));
        return positions;
    }

    public record StepRef(String step, StepAction action) {
    }

    public static final class Builder<D extends SagaData> {

        private final String name;
        private final List<Step<D>> steps = new ArrayList<>();
        private final Set<String> names = new HashSet<>();

        private Builder(String name) {
            this.name = requireName(name, "saga");
        }

        public Invoke<D> step(String stepName) {
            return factory -> compensation -> add(new Step<>(stepName, factory, Objects.requireNonNull(compensation,
                    () -> "step '" + stepName + "' needs a compensation; only the pivot has none")));
        }

        public Pivot<D> pivot(String stepName) {
            return factory -> (closingName, closing) -> {
                add(new Step<>(stepName, factory, null));
                claim(closingName);
                if (steps.size() < 2) {
                    throw new IllegalStateException("saga " + name + " needs at least one compensatable step before the pivot");
                }
                return new SagaDefinition<>(name, steps, closingName,
                        Objects.requireNonNull(closing, "the closing command must not be null"));
            };
        }

        private Builder<D> add(Step<D> step) {
            claim(step.name());
            Objects.requireNonNull(step.invoke(), () -> "step '" + step.name() + "' needs a command");
            steps.add(step);
            return this;
        }

        private void claim(String stepName) {
            if (!names.add(requireName(stepName, "step"))) {
                throw new IllegalArgumentException("saga " + name + " names step '" + stepName + "' twice");
            }
        }

        private static String requireName(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " name must not be blank");
            }
            return value;
        }
    }

    /** {@code step(name).invoke(command)} */
    @FunctionalInterface
    public interface Invoke<D extends SagaData> {
        Compensate<D> invoke(CommandFactory<D> command);
    }

    /** {@code ...compensateWith(command)} */
    @FunctionalInterface
    public interface Compensate<D extends SagaData> {
        Builder<D> compensateWith(CommandFactory<D> compensation);
    }

    /** {@code pivot(name).invoke(command)} */
    @FunctionalInterface
    public interface Pivot<D extends SagaData> {
        Closing<D> invoke(CommandFactory<D> command);
    }

    /** {@code ...whenCompensated(name, command)}: the last word of a compensated saga. */
    @FunctionalInterface
    public interface Closing<D extends SagaData> {
        SagaDefinition<D> whenCompensated(String stepName, CommandFactory<D> command);
    }
}
