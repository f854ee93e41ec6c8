package dev.sagaplatform.contracts;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicsTest {

    @Test
    void deadLetterTopicAppendsDLT() {
        assertThat(Topics.deadLetter(Topics.PAYMENT_EVENTS)).isEqualTo("payment.events.DLT");
    }

    @Test
    void deadLetterRefusesABlankTopic() {
        assertThatThrownBy(() -> Topics.deadLetter(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyTopicComesWithItsDeadLetterTopicWhichIsKeptLonger() {
        assertThat(Topics.withDeadLetters()).hasSize(2 * Topics.ALL.size())
                .containsAll(Topics.ALL).contains("saga.replies.DLT", "order.events.DLT");
        assertThat(Topics.retention(Topics.ORDER_EVENTS)).isEqualTo(Topics.RETENTION);
        assertThat(Topics.retention("order.events.DLT")).isEqualTo(Topics.DEAD_LETTER_RETENTION)
                .isGreaterThan(Topics.RETENTION);
    }

    @Test
    void routesEachAggregateTypeToItsTopic() {
        assertThat(Topics.topicFor(AggregateTypes.ORDER)).isEqualTo(Topics.ORDER_EVENTS);
        assertThat(Topics.topicFor(AggregateTypes.PAYMENT)).isEqualTo(Topics.PAYMENT_EVENTS);
        assertThat(Topics.topicFor(AggregateTypes.INVENTORY)).isEqualTo(Topics.INVENTORY_EVENTS);
        assertThat(Topics.topicFor(AggregateTypes.PAYMENT_COMMANDS)).isEqualTo(Topics.PAYMENT_COMMANDS);
        assertThat(Topics.topicFor(AggregateTypes.INVENTORY_COMMANDS)).isEqualTo(Topics.INVENTORY_COMMANDS);
        assertThat(Topics.topicFor(AggregateTypes.ORDER_COMMANDS)).isEqualTo(Topics.ORDER_COMMANDS);
        assertThat(Topics.topicFor(AggregateTypes.SAGA_REPLIES)).isEqualTo(Topics.SAGA_REPLIES);
    }

    @Test
    void unroutedAggregateTypeFallsBackToItsEventsTopic() {
        assertThat(Topics.topicFor("shipping")).isEqualTo("shipping.events");
    }

    @Test
    void everyAggregateTypeConstantHasARoute() throws Exception {
        assertThat(Topics.DEFAULT_ROUTES.keySet()).containsExactlyInAnyOrderElementsOf(constantsOf(AggregateTypes.class));
    }

    @Test
    void allListsEveryTopicConstantOnceAndEveryRouteTarget() throws Exception {
        List<String> topicConstants = constantsOf(Topics.class);

        assertThat(Topics.ALL).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(topicConstants);
        assertThat(Topics.ALL).containsAll(Topics.DEFAULT_ROUTES.values());
    }

    @Test
    void defaultRoutesCannotBeModified() {
        assertThatThrownBy(() -> Topics.DEFAULT_ROUTES.put("shipping", "shipping.events"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static List<String> constantsOf(Class<?> holder) throws IllegalAccessException {
        List<String> values = new ArrayList<>();
        for (Field field : holder.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                values.add((String) field.get(null));
            }
        }
        return values;
    }
}
