package dev.sagaplatform.relay;

import dev.sagaplatform.contracts.Headers;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Makes the relay's publish of an outbox row a span in the row's trace: a child of the span that wrote the row (its
 * {@code traceparent} column), whose own traceparent replaces the header, so the consumer's span is the publish's
 * child. A row without a traceparent is published untraced, as before.
 *
 * <p>By hand rather than through a {@code KafkaTemplate} observation: the relay sends with a plain producer in
 * batches it retries as a whole, and the span's parent is a column of the row, not the relay's current span.
 */
final class PublishTracing {

    private final Tracer tracer;
    private final Propagator propagator;

    PublishTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    static PublishTracing none() {
        return new PublishTracing(Tracer.NOOP, Propagator.NOOP);
    }

    /** Starts one span per traced record (rewriting its traceparent header); end them once Kafka acknowledged. */
    List<Span> start(String source, List<ProducerRecord<byte[], byte[]>> records) {
        List<Span> spans = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : records) {
            Header parent = record.headers().lastHeader(Headers.TRACEPARENT);
            if (parent == null) {
                continue;
            }
            Span span = propagator.extract(record, (carrier, key) -> {
                        Header header = carrier.headers().lastHeader(key);
                        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
                    })
                    .name("publish " + record.topic()).kind(Span.Kind.PRODUCER)
                    .tag("messaging.system", "kafka")
                    .tag("messaging.destination.name", record.topic())
                    .tag("relay.source", source)
                    .start();
            Map<String, String> carrier = new HashMap<>();
            propagator.inject(span.context(), carrier, Map::put);
            String traceparent = carrier.get(Headers.TRACEPARENT);
            if (traceparent != null) {
                record.headers().remove(Headers.TRACEPARENT);
                record.headers().add(Headers.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
            }
            spans.add(span);
        }
        return spans;
    }

    static void end(List<Span> spans) {
        spans.forEach(Span::end);
    }
}
