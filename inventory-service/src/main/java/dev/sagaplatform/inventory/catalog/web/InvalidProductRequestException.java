package dev.sagaplatform.inventory.catalog.web;

import java.util.Map;

/** A request to change the catalogue that is wrong in itself, whatever the catalogue holds: a 400. */
final class InvalidProductRequestException extends RuntimeException {

    static final String MALFORMED_JSON = "malformed-json";
    static final String UNKNOWN_FIELD = "unknown-field";
    static final String INVALID_FIELD = "invalid-field";
    static final String INVALID_PARAMETER = "invalid-parameter";

    private static final Map<String, String> TITLES = Map.of(
            MALFORMED_JSON, "Request body is not a JSON object",
            UNKNOWN_FIELD, "Request body has an unknown field",
            INVALID_FIELD, "Request body has invalid fields",
            INVALID_PARAMETER, "Invalid request parameter");

    final String type;
    final Map<String, Object> properties;

    InvalidProductRequestException(String type, String detail, Map<String, Object> properties) {
        super(detail, null, false, false);
        this.type = type;
        this.properties = properties;
    }

    String title() {
        return TITLES.get(type);
    }
}
