package dev.sagaplatform.inventory.catalog.web;

import static dev.sagaplatform.web.problem.ProblemTypes.INVALID_FIELD;
import static dev.sagaplatform.web.problem.ProblemTypes.MALFORMED_JSON;
import static dev.sagaplatform.web.problem.ProblemTypes.UNKNOWN_FIELD;

import dev.sagaplatform.web.problem.ProblemException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code PUT /products/{sku}}: {@code {"price": 1.50, "onHand": 1000, "name": "optional"}}.
 * Every field may be left out here; a new SKU needs price and onHand. Taken as a tree and checked field by
 * field, because binding would turn {@code "12"} into a price, {@code 2.5} into 2 units, or drop a
 * misspelt field.
 *
 * @param onHand the new total on hand (available + reserved), not an amount to add
 */
record ProductChange(BigDecimal price, Integer onHand, String name) {

    static final BigDecimal MAX_PRICE = new BigDecimal("1000000000");
    static final int MAX_ON_HAND = 1_000_000_000;
    static final int MAX_NAME_LENGTH = 200;

    private static final List<String> FIELDS = List.of("price", "onHand", "name");

    static ProductChange from(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ProblemException(MALFORMED_JSON,
                    "request body must be a JSON object like {\"price\": 1.50, \"onHand\": 1000}", Map.of());
        }
        body.propertyNames().stream().filter(field -> !FIELDS.contains(field)).findFirst().ifPresent(field -> {
            throw new ProblemException(UNKNOWN_FIELD, "unknown field '" + field + "'; known fields are " + FIELDS,
                    Map.of("field", field));
        });
        List<Map<String, String>> errors = new ArrayList<>();
        ProductChange change = new ProductChange(price(body.get("price"), errors), onHand(body.get("onHand"), errors),
                name(body.get("name"), errors));
        if (!errors.isEmpty()) {
            throw new ProblemException(INVALID_FIELD,
                    String.join("; ", errors.stream().map(e -> e.get("field") + " " + e.get("message")).toList()),
                    Map.of("errors", errors));
        }
        return change;
    }

    private static BigDecimal price(JsonNode value, List<Map<String, String>> errors) {
        if (value == null || value.isNull()) {
            return null;
        }
        BigDecimal price = value.isNumber() ? value.decimalValue() : null;
        if (price == null || price.signum() <= 0 || price.compareTo(MAX_PRICE) > 0 || price.stripTrailingZeros().scale() > 2) {
            errors.add(Map.of("field", "price", "message",
                    "must be a JSON number above 0 and at most " + MAX_PRICE.toPlainString() + ", in whole cents (at most 2 decimals)"));
            return null;
        }
        return price.setScale(2, RoundingMode.UNNECESSARY);
    }

    private static Integer onHand(JsonNode value, List<Map<String, String>> errors) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0 || value.intValue() > MAX_ON_HAND) {
            errors.add(Map.of("field", "onHand", "message", "must be a whole JSON number from 0 to " + MAX_ON_HAND));
            return null;
        }
        return value.intValue();
    }

    private static String name(JsonNode value, List<Map<String, String>> errors) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isString() && !value.stringValue().isBlank() && value.stringValue().length() <= MAX_NAME_LENGTH) {
            return value.stringValue();
        }
        errors.add(Map.of("field", "name", "message", "must be a string of 1 to " + MAX_NAME_LENGTH + " characters, not blank"));
        return null;
    }
}
