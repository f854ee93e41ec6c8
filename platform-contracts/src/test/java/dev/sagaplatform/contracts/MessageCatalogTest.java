package dev.sagaplatform.contracts;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageCatalogTest {

    @Test
    void namesAreUnique() {
        List<String> names = MessageCatalog.all().stream().map(MessageType::name).toList();

        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void byNameAndOfAgreeForEveryType() {
        for (MessageType<?> type : MessageCatalog.all()) {
            assertThat(MessageCatalog.byName(type.name())).as(type.name()).isSameAs(type);
            assertThat(MessageCatalog.of(type.javaType())).as(type.name()).isSameAs(type);
            assertThat(MessageCatalog.find(type.name())).as(type.name()).containsSame(type);
        }
    }

    @Test
    void everyTypeIsARecordExposingItsCatalogEntryAsTYPE() throws Exception {
        for (MessageType<?> type : MessageCatalog.all()) {
            Class<?> javaType = type.javaType();
            assertThat(javaType.isRecord()).as(javaType.getName()).isTrue();

            Field field = javaType.getField("TYPE");
            assertThat(Modifier.isStatic(field.getModifiers()) && Modifier.isFinal(field.getModifiers()))
                    .as(javaType.getName() + ".TYPE is static final").isTrue();
            assertThat(field.get(null)).as(javaType.getName() + ".TYPE").isSameAs(type);
        }
    }

    /** A message record missing from the catalog could be sent but never decoded. */
    @Test
    void everyMessageRecordInTheContractsIsInTheCatalog() {
        List<String> messageRecords = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sagaplatform.contracts")
                .stream()
                .filter(c -> c.isAssignableTo(Message.class) && !c.isInterface())
                .map(JavaClass::getName)
                .toList();

        assertThat(messageRecords).isNotEmpty();
        assertThat(MessageCatalog.all().stream().map(type -> type.javaType().getName()).toList())
                .containsExactlyInAnyOrderElementsOf(messageRecords);
    }

    @Test
    void everyTypeRoutesToAKnownTopicNotTheFallback() {
        for (MessageType<?> type : MessageCatalog.all()) {
            assertThat(Topics.DEFAULT_ROUTES).as(type.name()).containsKey(type.aggregateType());
            assertThat(Topics.ALL).as(type.name()).contains(Topics.topicFor(type.aggregateType()));
            assertThat(type.topic()).as(type.name()).isEqualTo(Topics.topicFor(type.aggregateType()));
        }
    }

    @Test
    void unknownNameFailsNamingItAndListingTheKnownTypes() {
        assertThatThrownBy(() -> MessageCatalog.byName("OrderShipped"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'OrderShipped'")
                .hasMessageContaining("OrderCreated")
                .hasMessageContaining("SagaReply");
    }

    @Test
    void nullNameFailsLikeAnUnknownOne() {
        assertThatThrownBy(() -> MessageCatalog.byName(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'null'");
        assertThat(MessageCatalog.find(null)).isEmpty();
    }

    @Test
    void findReturnsEmptyForAnUnknownName() {
        assertThat(MessageCatalog.find("OrderShipped")).isEmpty();
    }

    @Test
    void ofRejectsAMessageClassOutsideTheCatalog() {
        record Stray(UUID orderId) implements Message {
        }

        assertThatThrownBy(() -> MessageCatalog.of(Stray.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Stray.class.getName())
                .hasMessageContaining("not in the message catalog");
    }

    @Test
    void allCannotBeModified() {
        assertThatThrownBy(() -> MessageCatalog.all().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void messageTypeRefusesAVersionBelowOne() {
        record Probe(UUID orderId) implements Message {
        }

        assertThatThrownBy(() -> new MessageType<>("Probe", Probe.class, 0, AggregateTypes.ORDER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schemaVersion of message type Probe");
    }
}
