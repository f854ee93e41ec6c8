package dev.sagaplatform.payment.customer;

import dev.sagaplatform.web.problem.ProblemTypes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code PUT /customers/{id}}: {@code {"creditLimit": 1000.00, "name": "optional"}}. Taken
 * as a tree and checked field by field, because binding would take {@code "1000"}, round {@code 10.005}
 * or drop a misspelt field, and store a limit the caller never wrote.
 *
 * @param name {@code null} when the body has none: a new customer is named by its id, an existing one keeps its name
 */
record CreditLimitChange(BigDecimal creditLimit, String name) {

    static final BigDecimal MAX_CREDIT_LIMIT = new BigDecimal("1000000000");
    static final int MAX_NAME_LENGTH = 200;

    private static final Set<String> FIELDS = Set.of("creditLimit", "name");

    /** @param json the body as Spring read it: decimals exactly as written (application.yml), nothing after it */
    static CreditLimitChange from(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw ProblemTypes.MALFORMED_JSON.exception("request body must be a JSON object like {\"creditLimit\": 1000.00}");
        }
        for (String field : json.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw ProblemTypes.UNKNOWN_FIELD.exception("unknown field '" + field + "'; known fields are creditLimit and name")
                        .with("field", field);
            }
        }
        Map<String, String> errors = new LinkedHashMap<>();
        BigDecimal creditLimit = creditLimit(json.get("creditLimit"), errors);
        String name = name(json.get("name"), errors);
        if (!errors.isEmpty()) {
            throw ProblemTypes.INVALID_FIELD.exception(String.join("; ", errors.values())).with("errors",
                    errors.entrySet().stream().map(e -> Map.of("field", e.getKey(), "message", e.getValue())).toList());
        }
        return new CreditLimitChange(creditLimit, name);
    }

    private static BigDecimal creditLimit(JsonNode value, Map<String, String> errors) {
        String problem;
        if (value == null || value.isNull()) {
            problem = "is required";
        } else if (!value.isNumber()) {
            problem = "must be a JSON number such as 1000.00, not " + value.getNodeType().name().toLowerCase();
        } else if (value.decimalValue().signum() < 0 || value.decimalValue().compareTo(MAX_CREDIT_LIMIT) > 0) {
            problem = "must be from 0 to " + MAX_CREDIT_LIMIT.toPlainString();
        } else if (value.decimalValue().stripTrailingZeros().scale() > 2) {
            problem = "must be whole cents (at most 2 decimals), was " + value.decimalValue().toPlainString();
        } else {
            return value.decimalValue().setScale(2, RoundingMode.UNNECESSARY);
        }
        errors.put("creditLimit", "creditLimit " + problem);
        return null;
    }

    private static String name(JsonNode value, Map<String, String> errors) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString() || value.stringValue().isBlank() || value.stringValue().length() > MAX_NAME_LENGTH) {
            errors.put("name", "name must be a string of 1 to " + MAX_NAME_LENGTH + " characters, not blank");
            return null;
        }
        return value.stringValue();
    }
}
