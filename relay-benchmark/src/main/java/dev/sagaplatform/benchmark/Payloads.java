package dev.sagaplatform.benchmark;

import java.nio.charset.StandardCharsets;

/**
 * The outbox payload: an order-event-sized JSON document (~230 bytes) whose first key is the row's
 * sequence number. PostgreSQL's jsonb puts shorter keys first, so {@code "n"} stays first in what
 * both systems publish and the consumer finds it without a JSON parser.
 */
final class Payloads {

    private static final byte[] KEY = "\"n\":".getBytes(StandardCharsets.US_ASCII);

    private Payloads() {
    }

    static String payload(long seq) {
        return "{\"n\":" + seq + ",\"orderId\":\"" + new java.util.UUID(0x5a9a_0000_0000_0000L | seq, seq)
                + "\",\"customerId\":\"customer-" + (seq % 977)
                + "\",\"items\":[{\"sku\":\"SKU-" + (seq % 113) + "\",\"quantity\":2,\"price\":\"19.99\"},"
                + "{\"sku\":\"SKU-7\",\"quantity\":1,\"price\":\"5.00\"}],\"total\":\"44.98\",\"currency\":\"EUR\"}";
    }

    /** @return the sequence number, or -1 if the value is not one of these payloads */
    static long sequenceOf(byte[] value) {
        if (value == null) {
            return -1;
        }
        int i = indexOf(value, KEY);
        if (i < 0) {
            return -1;
        }
        i += KEY.length;
        while (i < value.length && value[i] == ' ') {
            i++;
        }
        long seq = 0;
        int digits = 0;
        while (i < value.length && value[i] >= '0' && value[i] <= '9') {
            seq = seq * 10 + (value[i++] - '0');
            digits++;
        }
        return digits == 0 ? -1 : seq;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= Math.min(haystack.length, 64); i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
