package dev.sagaplatform.testsupport;

import org.testcontainers.DockerClientFactory;

/** Asks Testcontainers once per JVM: the first probe costs up to a few seconds. */
final class Docker {

    private static volatile Boolean available;

    private Docker() {
    }

    static boolean isAvailable() {
        Boolean known = available;
        if (known == null) {
            synchronized (Docker.class) {
                known = available;
                if (known == null) {
                    known = probe();
                    available = known;
                }
            }
        }
        return known;
    }

    private static boolean probe() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException | LinkageError ex) {
            return false;
        }
    }
}
