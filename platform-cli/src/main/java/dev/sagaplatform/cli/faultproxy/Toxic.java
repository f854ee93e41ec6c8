package dev.sagaplatform.cli.faultproxy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A toxic as Toxiproxy's HTTP API shows it: {@code {"name", "type", "stream", "toxicity", "attributes"}}.
 * <p>
 * The factories build a toxic to add with {@link FaultProxyClient#addToxic}: on the downstream
 * (server → client), applied to every connection, and without a name, so that the server names it
 * {@code <type>_<stream>} as Toxiproxy does. {@link #named}, {@link #upstream()} and
 * {@link #withToxicity} change that.
 *
 * @param name       unique within its proxy; null lets the server choose {@code <type>_<stream>}
 * @param type       {@code latency}, {@code bandwidth}, {@code slow_close}, {@code timeout},
 *                   {@code reset_peer}, {@code limit_data}, {@code slicer} (or {@code noop})
 * @param stream     {@code downstream} (server → client) or {@code upstream} (client → server);
 *                   null means downstream
 * @param toxicity   the probability, 0 to 1, that the toxic applies to a given connection (the factories say 1)
 * @param attributes the type's attributes, all whole numbers (milliseconds, KB/s, bytes, µs)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Toxic(String name, String type, String stream, double toxicity, Map<String, Long> attributes) {

    public static final String DOWNSTREAM = "downstream";
    public static final String UPSTREAM = "upstream";

    public Toxic {
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** A toxic of any type, downstream, on every connection, named by the server. */
    public static Toxic of(String type, Map<String, Long> attributes) {
        return new Toxic(null, type, DOWNSTREAM, 1.0, attributes);
    }

    /** Delays data by {@code latencyMillis} ± up to {@code jitterMillis}. */
    public static Toxic latency(long latencyMillis, long jitterMillis) {
        return of("latency", attributes("latency", latencyMillis, "jitter", jitterMillis));
    }

    /** Limits the connection to {@code kilobytesPerSecond} KB/s (1 KB = 1000 bytes). */
    public static Toxic bandwidth(long kilobytesPerSecond) {
        return of("bandwidth", attributes("rate", kilobytesPerSecond));
    }

    /** Delays passing on the close of the stream by {@code delayMillis}. */
    public static Toxic slowClose(long delayMillis) {
        return of("slow_close", attributes("delay", delayMillis));
    }

    /** Stops all data; closes the connection after {@code timeoutMillis}, or holds it until the toxic is removed if 0. */
    public static Toxic timeout(long timeoutMillis) {
        return of("timeout", attributes("timeout", timeoutMillis));
    }

    /** Resets the connection (TCP RST) {@code timeoutMillis} after the next data in the toxic's direction. */
    public static Toxic resetPeer(long timeoutMillis) {
        return of("reset_peer", attributes("timeout", timeoutMillis));
    }

    /** Closes the connection once {@code bytes} bytes went through in the toxic's direction. */
    public static Toxic limitData(long bytes) {
        return of("limit_data", attributes("bytes", bytes));
    }

    /** Cuts data into pieces of {@code averageSize} ± {@code sizeVariation} bytes, {@code delayMicros} apart. */
    public static Toxic slicer(long averageSize, long sizeVariation, long delayMicros) {
        return of("slicer", attributes("average_size", averageSize, "size_variation", sizeVariation, "delay", delayMicros));
    }

    public Toxic named(String newName) {
        return new Toxic(newName, type, stream, toxicity, attributes);
    }

    /** The same toxic on the client → server direction. */
    public Toxic upstream() {
        return new Toxic(name, type, UPSTREAM, toxicity, attributes);
    }

    /** The same toxic on the server → client direction. */
    public Toxic downstream() {
        return new Toxic(name, type, DOWNSTREAM, toxicity, attributes);
    }

    public Toxic withToxicity(double probability) {
        return new Toxic(name, type, stream, probability, attributes);
    }

    /** An attribute's value; 0 when absent, as Toxiproxy reads a missing attribute. */
    public long attribute(String attributeName) {
        Long value = attributes.get(attributeName);
        return value == null ? 0 : value;
    }

    private static Map<String, Long> attributes(Object... namesAndValues) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], (Long) namesAndValues[i + 1]);
        }
        return map;
    }
}
