package dev.sagaplatform.cli;

/** A component that did not become ready; the platform prints the end of its log with it. */
final class StartFailure extends RuntimeException {

    private final Instance instance;

    StartFailure(Component component, String problem) {
        this(Instance.first(component), problem);
    }

    StartFailure(Instance instance, String problem) {
        super(instance.id() + " " + problem);
        this.instance = instance;
    }

    Component component() {
        return instance.component();
    }

    Instance instance() {
        return instance;
    }
}
