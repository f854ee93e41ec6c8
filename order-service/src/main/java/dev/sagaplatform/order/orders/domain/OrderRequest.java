package dev.sagaplatform.order.orders.domain;

import dev.sagaplatform.contracts.SagaFlow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a client asks for, before anything is looked up or priced. Fields may be missing
 * ({@code null}) because this is checked here, in one place, with messages a client can act on.
 *
 * @param flow already resolved: the service's default flow when the client named none
 */
public record OrderRequest(String customerId, List<RequestedItem> items, SagaFlow flow) {

    public static final int MAX_CUSTOMER_ID_LENGTH = 100;
    public static final int MAX_SKU_LENGTH = 64;
    public static final int MAX_LINES = 100;
    public static final int MIN_QUANTITY = 1;
    public static final int MAX_QUANTITY = 1000;

    public OrderRequest {
        Objects.requireNonNull(flow, "flow must be resolved before the request is built");
        // Copied without List.copyOf, which refuses the null lines a client may send.
        items = items == null ? null : Collections.unmodifiableList(new ArrayList<>(items));
    }

    public record RequestedItem(String sku, Integer quantity) {
    }

    /**
     * @throws InvalidOrderRequestException listing every broken field rule
     * @throws DuplicateSkuException        when the fields are fine but a SKU is on two lines
     */
    public void validate() {
        List<Violation> violations = new ArrayList<>();
        checkText("customerId", customerId, MAX_CUSTOMER_ID_LENGTH, violations);
        if (items == null) {
            violations.add(new Violation("items", "is required"));
        } else if (items.isEmpty()) {
            violations.add(new Violation("items", "must have at least 1 line"));
        } else if (items.size() > MAX_LINES) {
            // Line-by-line messages for an oversized list would bury the one that matters.
            violations.add(new Violation("items", "must have at most " + MAX_LINES + " lines, has " + items.size()));
        } else {
            for (int i = 0; i < items.size(); i++) {
                checkItem(i, items.get(i), violations);
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidOrderRequestException(violations);
        }
        List<String> duplicates = duplicateSkus();
        if (!duplicates.isEmpty()) {
            throw new DuplicateSkuException(duplicates);
        }
    }

    /** The SKUs in the order the client listed them; call after {@link #validate()}. */
    public List<String> skus() {
        return items.stream().map(RequestedItem::sku).toList();
    }

    /** Requested SKUs the catalogue does not know, sorted so that the error message is stable. */
    public List<String> skusMissingFrom(Collection<String> knownSkus) {
        Set<String> known = Set.copyOf(knownSkus);
        return skus().stream().filter(sku -> !known.contains(sku)).sorted().toList();
    }

    /**
     * A text that is equal for two requests exactly when they ask for the same order: it ignores JSON
     * whitespace, field order, an explicit flow equal to the default and the order of the lines (a SKU
     * is on one line only, so the lines are a set). Strings are length-prefixed, so no choice of
     * characters in an id can make two different requests collide.
     */
    public String canonicalForm() {
        StringBuilder text = new StringBuilder("order-request/v1\n");
        appendText(text, customerId);
        text.append(flow.name()).append('\n');
        items.stream()
                .sorted(Comparator.comparing(RequestedItem::sku))
                .forEach(item -> {
                    appendText(text, item.sku());
                    text.append(item.quantity()).append('\n');
                });
        return text.toString();
    }

    private static void appendText(StringBuilder text, String value) {
        text.append(value.length()).append(':').append(value).append('\n');
    }

    private List<String> duplicateSkus() {
        Map<String, Integer> lines = new LinkedHashMap<>();
        items.forEach(item -> lines.merge(item.sku(), 1, Integer::sum));
        Set<String> duplicates = new LinkedHashSet<>();
        lines.forEach((sku, count) -> {
            if (count > 1) {
                duplicates.add(sku);
            }
        });
        return List.copyOf(duplicates);
    }

    private static void checkItem(int index, RequestedItem item, List<Violation> violations) {
        String path = "items[" + index + "]";
        if (item == null) {
            violations.add(new Violation(path, "must be an object with sku and quantity"));
            return;
        }
        checkText(path + ".sku", item.sku(), MAX_SKU_LENGTH, violations);
        if (item.quantity() == null) {
            violations.add(new Violation(path + ".quantity", "is required"));
        } else if (item.quantity() < MIN_QUANTITY || item.quantity() > MAX_QUANTITY) {
            violations.add(new Violation(path + ".quantity",
                    "must be an integer from " + MIN_QUANTITY + " to " + MAX_QUANTITY + ", was " + item.quantity()));
        }
    }

    private static void checkText(String field, String value, int maxLength, List<Violation> violations) {
        if (value == null) {
            violations.add(new Violation(field, "is required"));
        } else if (value.isBlank()) {
            violations.add(new Violation(field, "must not be blank"));
        } else if (value.codePointCount(0, value.length()) > maxLength) {
            violations.add(new Violation(field, "must be at most " + maxLength + " characters"));
        } else if (value.codePoints().anyMatch(Character::isISOControl)) {
            // Control characters (NUL above all) cannot be stored or passed on safely, and no real id has them.
            violations.add(new Violation(field, "must not contain control characters"));
        }
    }
}
