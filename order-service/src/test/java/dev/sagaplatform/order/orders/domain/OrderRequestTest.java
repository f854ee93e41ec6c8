package dev.sagaplatform.order.orders.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.order.orders.domain.OrderRequest.RequestedItem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OrderRequestTest {

    @Test
    void acceptsTheLimits() {
        List<RequestedItem> hundredLines = IntStream.range(0, 100).mapToObj(i -> new RequestedItem("S" + i, 1000)).toList();
        OrderRequest request = new OrderRequest("c".repeat(100), hundredLines, SagaFlow.CHOREOGRAPHY);

        assertThatCode(request::validate).doesNotThrowAnyException();
        assertThatCode(new OrderRequest("c", List.of(new RequestedItem("s".repeat(64), 1)), SagaFlow.CHOREOGRAPHY)::validate)
                .doesNotThrowAnyException();
    }

    @Test
    void namesEveryBrokenFieldAtOnce() {
        OrderRequest request = new OrderRequest(" ", Arrays.asList(
                new RequestedItem(null, 0), null, new RequestedItem("s".repeat(65), null), new RequestedItem("ok", 1001)),
                SagaFlow.CHOREOGRAPHY);

        assertThatThrownBy(request::validate)
                .isInstanceOfSatisfying(InvalidOrderRequestException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field)
                        .containsExactly("customerId", "items[0].sku", "items[0].quantity", "items[1]", "items[2].sku",
                                "items[2].quantity", "items[3].quantity"));
    }

    @Test
    void refusesMissingEmptyAndOversizedLineLists() {
        assertThat(violations(new OrderRequest("c", null, SagaFlow.CHOREOGRAPHY))).containsExactly("items is required");
        assertThat(violations(new OrderRequest("c", List.of(), SagaFlow.CHOREOGRAPHY)))
                .containsExactly("items must have at least 1 line");
        List<RequestedItem> tooMany = IntStream.range(0, 101).mapToObj(i -> new RequestedItem("S" + i, 1)).toList();
        assertThat(violations(new OrderRequest("c", tooMany, SagaFlow.CHOREOGRAPHY)))
                .containsExactly("items must have at most 100 lines, has 101");
    }

    @Test
    void refusesControlCharactersInIds() {
        assertThat(violations(new OrderRequest("a\u0000b", List.of(new RequestedItem("x\ny", 1)), SagaFlow.CHOREOGRAPHY)))
                .containsExactly("customerId must not contain control characters", "items[0].sku must not contain control characters");
    }

    @Test
    void lengthsCountCharactersNotUtf16Units() {
        String sixtyFourEmoji = "😀".repeat(64);

        assertThatCode(new OrderRequest("c", List.of(new RequestedItem(sixtyFourEmoji, 1)), SagaFlow.CHOREOGRAPHY)::validate)
                .doesNotThrowAnyException();
    }

    @Test
    void refusesASkuOnTwoLinesAndSaysWhichOne() {
        OrderRequest request = new OrderRequest("c", List.of(new RequestedItem("A", 1), new RequestedItem("B", 1),
                new RequestedItem("A", 2)), SagaFlow.CHOREOGRAPHY);

        assertThatThrownBy(request::validate)
                .isInstanceOfSatisfying(DuplicateSkuException.class, e -> assertThat(e.skus()).containsExactly("A"));
    }

    @Test
    void canonicalFormIgnoresLineOrderButNotContent() {
        OrderRequest original = request("c-1", SagaFlow.CHOREOGRAPHY, new RequestedItem("A", 1), new RequestedItem("B", 2));

        assertThat(request("c-1", SagaFlow.CHOREOGRAPHY, new RequestedItem("B", 2), new RequestedItem("A", 1)).canonicalForm())
                .isEqualTo(original.canonicalForm());
        assertThat(request("c-1", SagaFlow.CHOREOGRAPHY, new RequestedItem("A", 1), new RequestedItem("B", 3)).canonicalForm())
                .isNotEqualTo(original.canonicalForm());
        assertThat(request("c-1", SagaFlow.ORCHESTRATION, new RequestedItem("A", 1), new RequestedItem("B", 2)).canonicalForm())
                .isNotEqualTo(original.canonicalForm());
        assertThat(request("c-2", SagaFlow.CHOREOGRAPHY, new RequestedItem("A", 1), new RequestedItem("B", 2)).canonicalForm())
                .isNotEqualTo(original.canonicalForm());
    }

    @Test
    void canonicalFormCannotBeForgedWithSeparatorsInsideIds() {
        OrderRequest oneLine = request("c", SagaFlow.CHOREOGRAPHY, new RequestedItem("A\n1\n1:B", 2));
        OrderRequest twoLines = request("c", SagaFlow.CHOREOGRAPHY, new RequestedItem("A", 1), new RequestedItem("B", 2));

        assertThat(oneLine.canonicalForm()).isNotEqualTo(twoLines.canonicalForm());
    }

    @Test
    void listsSkusTheCatalogueDoesNotKnowSorted() {
        OrderRequest request = request("c", SagaFlow.CHOREOGRAPHY, new RequestedItem("Z", 1), new RequestedItem("A", 1),
                new RequestedItem("M", 1));

        assertThat(request.skusMissingFrom(List.of("M"))).containsExactly("A", "Z");
    }

    private static OrderRequest request(String customerId, SagaFlow flow, RequestedItem... items) {
        return new OrderRequest(customerId, List.of(items), flow);
    }

    private static List<String> violations(OrderRequest request) {
        try {
            request.validate();
            return Collections.emptyList();
        } catch (InvalidOrderRequestException e) {
            List<String> messages = new ArrayList<>();
            e.violations().forEach(v -> messages.add(v.field() + " " + v.message()));
            return messages;
        }
    }
}
