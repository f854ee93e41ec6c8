package dev.sagaplatform.contracts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sagaplatform.contracts.order.OrderCreated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class MessageJsonRoundTripTest {

    /** Plain defaults on purpose: the records must not need any mapper configuration. */
    private static final JsonMapper JACKSON_3 = JsonMapper.builder().build();

    /** Jackson 2 needs the java.time module registered; that is all it needs. */
    private static final ObjectMapper JACKSON_2 =
            com.fasterxml.jackson.databind.json.JsonMapper.builder().addModule(new JavaTimeModule()).build();

    static Collection<MessageType<?>> catalog() {
        return MessageCatalog.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalog")
    void roundTripsThroughJackson3Unchanged(MessageType<?> type) {
        Message sample = MessageSamples.sampleOf(type);

        String json = JACKSON_3.writeValueAsString(sample);

        assertThat(JACKSON_3.readValue(json, type.javaType())).isEqualTo(sample);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalog")
    void jackson2ReadsWhatJackson3Wrote(MessageType<?> type) throws Exception {
        Message sample = MessageSamples.sampleOf(type);

        String json = JACKSON_3.writeValueAsString(sample);

        assertThat(JACKSON_2.readValue(json, type.javaType())).isEqualTo(sample);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalog")
    void jackson3ReadsWhatJackson2Wrote(MessageType<?> type) throws Exception {
        Message sample = MessageSamples.sampleOf(type);

        String json = JACKSON_2.writeValueAsString(sample);

        assertThat(JACKSON_3.readValue(json, type.javaType())).isEqualTo(sample);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalog")
    void writesExactlyTheRecordComponents(MessageType<?> type) {
        JsonNode json = JACKSON_3.valueToTree(MessageSamples.sampleOf(type));

        Set<String> components = Arrays.stream(type.javaType().getRecordComponents())
                .map(RecordComponent::getName)
                .collect(Collectors.toSet());
        assertThat(json.propertyNames()).containsExactlyInAnyOrderElementsOf(components);
    }

    /** A null component would be written as null and read back as null, proving nothing about its type. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("catalog")
    void sampleSetsEveryComponentSoTheRoundTripCoversIt(MessageType<?> type) throws Exception {
        Message sample = MessageSamples.sampleOf(type);

        for (RecordComponent component : type.javaType().getRecordComponents()) {
            assertThat(component.getAccessor().invoke(sample)).as(component.getName()).isNotNull();
        }
    }

    @Test
    void writesMoneyAsExactDecimalsTimeAsIsoStringsAndEnumsByName() {
        String json = JACKSON_3.writeValueAsString(MessageSamples.sampleOf(OrderCreated.TYPE));

        assertThat(json)
                .contains("\"orderId\":\"" + MessageSamples.ORDER_ID + "\"")
                .contains("\"total\":59.80")
                .contains("\"unitPrice\":19.90")
                .contains("\"createdAt\":\"2025-03-04T05:06:07.123456Z\"")
                .contains("\"flow\":\"ORCHESTRATION\"");
    }
}
