package dev.sagaplatform.cli;

import java.util.Map;

/**
 * One process of a component: {@code ordinal} 1 to the component's replica count. Instance 1 keeps the names a single
 * process has always had ({@code order-service}, its pid file, {@code order-service.log}, the component's port), so a
 * platform of single instances looks exactly as before; instance k ≥ 2 is {@code order-service-k}, with its own pid file
 * and log, on the component's port plus {@value #PORT_STEP} × (k − 1): 8181, 8281, ... for order-service by default.
 */
record Instance(Component component, int ordinal) {

    /** Distance between the ports of two successive instances of one component. */
    static final int PORT_STEP = 100;

    Instance {
        if (ordinal < 1) {
            throw new IllegalArgumentException("instance ordinals start at 1, not " + ordinal);
        }
    }

    static Instance first(Component component) {
        return new Instance(component, 1);
    }

    /** Name in logs, pid files, status and the process marker. */
    String id() {
        return ordinal == 1 ? component.id() : component.id() + "-" + ordinal;
    }

    /** This instance's port, given instance 1's port of every component. */
    int port(Map<Component, Integer> ports) {
        return port(ports.get(component));
    }

    int port(int firstPort) {
        return firstPort + PORT_STEP * (ordinal - 1);
    }

    @Override
    public String toString() {
        return id();
    }
}
