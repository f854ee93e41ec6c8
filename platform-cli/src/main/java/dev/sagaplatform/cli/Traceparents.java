package dev.sagaplatform.cli;

import java.security.SecureRandom;
import java.util.HexFormat;

/** W3C trace context for requests the CLI starts a trace with (sampled, so every service records it). */
final class Traceparents {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Traceparents() {
    }

    static String newTraceId() {
        return randomHex(16);
    }

    static String of(String traceId) {
        return "00-" + traceId + "-" + randomHex(8) + "-01";
    }

    private static String randomHex(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HexFormat.of().formatHex(buffer);
    }
}
