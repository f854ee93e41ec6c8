package dev.sagaplatform.messaging.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TraceContextTest {

    private static final String INCOMING = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void outgoingMessageKeepsTheTraceIdAndGetsANewSpan() {
        AtomicReference<String> outgoing = new AtomicReference<>();

        TraceContext.runWith(INCOMING, () -> outgoing.set(TraceContext.forOutgoingMessage()));

        assertThat(TraceContext.isValid(outgoing.get())).isTrue();
        assertThat(TraceContext.traceId(outgoing.get())).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(outgoing.get()).isNotEqualTo(INCOMING).endsWith("-01");
    }

    @Test
    void malformedIncomingTraceparentStartsANewTrace() {
        AtomicReference<String> current = new AtomicReference<>();

        TraceContext.runWith("00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                () -> current.set(TraceContext.current().orElseThrow()));

        assertThat(TraceContext.isValid(current.get())).isTrue();
        assertThat(current.get()).doesNotContain("00000000000000000000000000000000");
    }

    @Test
    void contextEndsWithTheHandledMessage() {
        TraceContext.runWith(INCOMING, () -> assertThat(TraceContext.current()).contains(INCOMING));

        assertThat(TraceContext.current()).isEmpty();
    }
}
