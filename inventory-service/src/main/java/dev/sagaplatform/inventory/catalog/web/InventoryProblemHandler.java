package dev.sagaplatform.inventory.catalog.web;

import dev.sagaplatform.inventory.catalog.NewProductIncompleteException;
import dev.sagaplatform.inventory.catalog.persistence.OnHandBelowReservedException;
import dev.sagaplatform.web.problem.PlatformProblemHandler;
import dev.sagaplatform.web.problem.ProblemType;
import dev.sagaplatform.web.problem.ProblemTypes;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

/**
 * inventory-service's failures that come from below the web layer; everything else is platform-web's
 * {@link PlatformProblemHandler}.
 */
@RestControllerAdvice
class InventoryProblemHandler extends PlatformProblemHandler {

    static final ProblemType ON_HAND_BELOW_RESERVED =
            ProblemType.of("on-hand-below-reserved", HttpStatus.UNPROCESSABLE_CONTENT, "Stock on hand below reserved");

    @ExceptionHandler
    ResponseEntity<Object> incomplete(NewProductIncompleteException e, WebRequest request) {
        List<Map<String, String>> errors = e.missing().stream()
                .map(field -> Map.of("field", field, "message", "is required to create a product")).toList();
        return answer(ProblemTypes.INVALID_FIELD.exception(e.getMessage()).with("errors", errors), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> belowReserved(OnHandBelowReservedException e, WebRequest request) {
        return answer(ON_HAND_BELOW_RESERVED.exception(e.getMessage()).with("reserved", e.reserved()), request);
    }
}
