package dev.sagaplatform.cli.faultproxy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The toxic types Toxiproxy ships, with the attributes each one takes. Every attribute is a whole
 * number, 0 when not given, exactly as in Toxiproxy, so a toxic's JSON always lists all of them.
 */
enum ToxicType {

    /** Passes everything through; Toxiproxy registers it too, so experiments may name it. */
    NOOP("noop"),
    /** Delays each chunk by {@code latency} ms, ± up to {@code jitter} ms. */
    LATENCY("latency", "latency", "jitter"),
    /** At most {@code rate} KB/s (1 KB = 1000 bytes, as in Toxiproxy). */
    BANDWIDTH("bandwidth", "rate"),
    /** Delays passing on the end of the stream by {@code delay} ms. */
    SLOW_CLOSE("slow_close", "delay"),
    /** Drops all data; closes the connection after {@code timeout} ms, or never while the toxic stays if 0. */
    TIMEOUT("timeout", "timeout"),
    /** At the next data (or end of stream), waits {@code timeout} ms and resets the connection (TCP RST). */
    RESET_PEER("reset_peer", "timeout"),
    /** Closes the connection once {@code bytes} bytes have gone through. */
    LIMIT_DATA("limit_data", "bytes"),
    /** Cuts data into pieces of about {@code average_size} ± {@code size_variation} bytes, {@code delay} µs apart. */
    SLICER("slicer", "average_size", "size_variation", "delay");

    private final String id;
    private final List<String> attributes;

    ToxicType(String id, String... attributes) {
        this.id = id;
        this.attributes = List.of(attributes);
    }

    String id() {
        return id;
    }

    List<String> attributes() {
        return attributes;
    }

    static Optional<ToxicType> byId(String id) {
        return Arrays.stream(values()).filter(type -> type.id.equals(id)).findFirst();
    }

    /** The type names in alphabetical order, for error messages. */
    static String allowedIds() {
        return Arrays.stream(values()).map(ToxicType::id).sorted().collect(Collectors.joining(", "));
    }

    String allowedAttributes() {
        return attributes.isEmpty() ? "none" : String.join(", ", attributes);
    }
}
