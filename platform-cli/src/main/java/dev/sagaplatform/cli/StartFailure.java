package dev.sagaplatform.cli;

/** A component that did not become ready; the platform prints the end of its log with it. */
final class StartFailure extends RuntimeException {

    private final Component component;

    StartFailure(Component component, String problem) {
        super(component.id() + " " + problem);
        this.component = component;
    }

    Component component() {
        return component;
    }
}
