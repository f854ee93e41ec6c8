package dev.sagaplatform.order.orders.web;

import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.order.orders.domain.OrderRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import dev.sagaplatform.web.problem.PlatformProblemHandler;
import dev.sagaplatform.web.problem.ProblemException;
import dev.sagaplatform.web.problem.ProblemTypes;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads the body of {@code POST /orders} strictly. A lenient reader would turn {@code "2"} or
 * {@code 1.5} into a quantity and drop a misspelt field, so the client would get an order it did not
 * ask for; here each of those is a 400 naming the field. Only this request is read this way: the
 * application's shared JSON mapper stays as Spring Boot configures it.
 */
class OrderRequestReader {

    private static final String FLOWS = Arrays.stream(SagaFlow.values()).map(Enum::name).collect(Collectors.joining(", "));
    private static final Map<String, String> EXPECTED = Map.of(
            "customerId", "a string",
            "items", "an array of {\"sku\": string, \"quantity\": integer} objects",
            "sku", "a string",
            "quantity", "an integer from " + OrderRequest.MIN_QUANTITY + " to " + OrderRequest.MAX_QUANTITY,
            "flow", "one of " + FLOWS);

    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            // Two values for one field would make the fingerprint depend on which one a parser keeps.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Integer, config -> config
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Enum, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .build();

    /** The JSON shape; every field may be missing so that {@link OrderRequest#validate()} can name it. */
    record PlaceOrderBody(String customerId, List<Line> items, SagaFlow flow) {
    }

    record Line(String sku, Integer quantity) {
    }

    /**
     * @param defaultFlow used when the body names no flow
     * @throws ProblemException for anything that is not a JSON object of the expected shape
     */
    OrderRequest read(byte[] body, SagaFlow defaultFlow) {
        PlaceOrderBody parsed;
        try {
            parsed = json.readValue(body, PlaceOrderBody.class);
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw new ProblemException(ProblemTypes.UNKNOWN_FIELD,
                    "unknown field '" + field + "'; known fields are " + e.getKnownPropertyIds(),
                    Map.of("field", field));
        } catch (MismatchedInputException e) {
            throw wrongShape(e);
        } catch (JacksonException e) {
            // Number overflow is reported by the parser, yet it is a field with a wrong value, not bad JSON.
            if (!e.getPath().isEmpty()) {
                throw wrongShape(e);
            }
            throw new ProblemException(ProblemTypes.MALFORMED_JSON, "request body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        }
        if (parsed == null) {
            throw new ProblemException(ProblemTypes.MALFORMED_JSON, "request body must be a JSON object, not null");
        }
        List<OrderRequest.RequestedItem> items = parsed.items() == null ? null : parsed.items().stream()
                .map(line -> line == null ? null : new OrderRequest.RequestedItem(line.sku(), line.quantity()))
                .toList();
        return new OrderRequest(parsed.customerId(), items, parsed.flow() == null ? defaultFlow : parsed.flow());
    }

    private static ProblemException wrongShape(JacksonException e) {
        if (e.getPath().isEmpty()) {
            // Jackson's own text here names internal classes, which tells a client nothing.
            return new ProblemException(ProblemTypes.MALFORMED_JSON,
                    "request body must be exactly one JSON object with customerId, items and optionally flow");
        }
        String field = path(e);
        JacksonException.Reference last = e.getPath().get(e.getPath().size() - 1);
        String expected = last.getPropertyName() != null
                ? EXPECTED.getOrDefault(last.getPropertyName(), "of another type")
                : "an object with sku and quantity";
        String message = "must be " + expected;
        return new ProblemException(ProblemTypes.INVALID_FIELD, field + " " + message,
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }

    private static String path(JacksonException e) {
        return PlatformProblemHandler.path(e);
    }
}
