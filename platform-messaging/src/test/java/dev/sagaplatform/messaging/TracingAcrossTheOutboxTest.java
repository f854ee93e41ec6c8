package dev.sagaplatform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.contracts.order.OrderCreated;
import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.messaging.outbox.OutboxWriter;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox hop keeps one trace, with the service's real tracer (Micrometer Tracing over OpenTelemetry) against the
 * real broker and database: the row written inside a span carries that span's traceparent, and a consumer's span
 * continues the trace named by the record's {@code traceparent} header, so what its handler writes does too. Either
 * assertion fails if the trace breaks at the outbox hop (a fresh trace id, or a row that ignores the current span).
 */
@SpringBootTest(properties = "test.subscription.enabled=true")
@Import(TracingAcrossTheOutboxTest.FinishedSpans.class)
@RealInfrastructure
class TracingAcrossTheOutboxTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SENDER_SPAN_ID = "00f067aa0ba902b7";

    @Autowired
    OutboxWriter outbox;
    @Autowired
    Tracer tracer;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    FinishedSpans finished;

    @Test
    void theOutboxRowCarriesTheCurrentSpansTraceparent() {
        Span span = tracer.nextSpan().name("place order").start();
        UUID id;
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            id = transactions.execute(status -> outbox.append(orderCreated("customer-1")));
        } finally {
            span.end();
        }

        assertThat(jdbc.sql("select traceparent from outbox where id = ?").param(id).query(String.class).single())
                .isEqualTo("00-" + span.context().traceId() + "-" + span.context().spanId() + "-01");
    }

    @Test
    void aConsumersSpanContinuesTheHeadersTraceAndSoDoesWhatItsHandlerWrites() {
        OrderCreated event = orderCreated(MessagingTestApplication.ANSWERED_CUSTOMER);

        publishWithTraceparent(event, "00-" + TRACE_ID + "-" + SENDER_SPAN_ID + "-01");

        String answer = await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                        "select traceparent from outbox where aggregateid = ? and type = 'PaymentAuthorized'")
                .param(event.orderId().toString()).query(String.class).optional().orElse(null), value -> value != null);
        SpanData consumer = await().atMost(Duration.ofSeconds(10)).until(
                () -> finished.spans.stream().filter(span -> span.getKind() == SpanKind.CONSUMER
                        && span.getTraceId().equals(TRACE_ID)).findFirst().orElse(null), value -> value != null);

        // The consumer's span is the sender's child ...
        assertThat(consumer.getParentSpanId()).isEqualTo(SENDER_SPAN_ID);
        // ... and the row its handler wrote carries that span, so the next hop is in the same trace.
        assertThat(answer).isEqualTo("00-" + TRACE_ID + "-" + consumer.getSpanId() + "-01");
    }

    private static void publishWithTraceparent(OrderCreated event, String traceparent) {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            var record = new ProducerRecord<>(Topics.ORDER_EVENTS, event.orderId().toString(),
                    new MessageCodec().toJson(event).getBytes(StandardCharsets.UTF_8));
            record.headers().add(Headers.EVENT_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            record.headers().add(Headers.EVENT_TYPE, "OrderCreated".getBytes(StandardCharsets.UTF_8));
            record.headers().add(Headers.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static OrderCreated orderCreated(String customerId) {
        return new OrderCreated(UUID.randomUUID(), customerId,
                List.of(new OrderLine("SKU-1", 1, new BigDecimal("10.00"))), new BigDecimal("10.00"),
                SagaFlow.CHOREOGRAPHY, Instant.now());
    }

    /** Every span the service's tracer ends, kept in memory: Boot adds this processor beside its own. */
    @TestConfiguration(proxyBeanMethods = false)
    static class FinishedSpans implements SpanExporter {

        final Queue<SpanData> spans = new ConcurrentLinkedQueue<>();

        @Bean
        SpanProcessor finishedSpansProcessor() {
            return SimpleSpanProcessor.create(this);
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
