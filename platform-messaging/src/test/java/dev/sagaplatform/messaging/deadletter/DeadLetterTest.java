package dev.sagaplatform.messaging.deadletter;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    @Test
    void recordsAreNamedTopicPartitionAtOffsetOnADeadLetterTopic() {
        assertThat(DeadLetter.isCoordinates("order.events.DLT:0@12")).isTrue();
        assertThat(DeadLetter.isCoordinates("order.events:0@12")).as("not a dead-letter topic").isFalse();
        assertThat(DeadLetter.isCoordinates("order.events.DLT:0")).isFalse();
        assertThat(DeadLetter.isCoordinates("order.events.DLT:-1@12")).isFalse();
        assertThat(DeadLetter.isCoordinates("order events.DLT:0@12")).isFalse();
        assertThat(DeadLetter.isCoordinates(null)).isFalse();
    }

    @Test
    void theErrorIsTheRootCauseAndItsMessageWithoutSpringKafkasWrapper() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("kafka_dlt-exception-fqcn", bytes("org.springframework.kafka.listener.ListenerExecutionFailedException"));
        headers.add("kafka_dlt-exception-cause-fqcn", bytes("java.lang.IllegalStateException"));
        headers.add("kafka_dlt-exception-message", bytes("Listener failed; refund refused"));

        assertThat(DeadLetter.error(headers)).isEqualTo("IllegalStateException: refund refused");
    }

    @Test
    void aRecordWithoutTheExceptionsClassGivesItsMessageAlone() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("kafka_dlt-exception-message", bytes("refund refused by the gateway"));

        assertThat(DeadLetter.error(headers)).isEqualTo("refund refused by the gateway");
        assertThat(DeadLetter.error(new RecordHeaders())).isNull();
    }

    /** ./platform runs it with kafka-clients and platform-contracts only (platform-cli excludes this library's dependencies). */
    @Test
    void theDeadLetterStoreNeedsNothingButKafkaClientsAndTheContracts() {
        var imported = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sagaplatform.messaging.deadletter");
        classes().that().resideInAPackage("dev.sagaplatform.messaging.deadletter")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.apache.kafka..", "dev.sagaplatform.contracts..",
                        "dev.sagaplatform.messaging.deadletter")
                .because("the ./platform command uses it without Spring or this library's other dependencies")
                .check(imported);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
