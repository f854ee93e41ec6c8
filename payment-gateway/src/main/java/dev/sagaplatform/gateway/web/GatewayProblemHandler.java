package dev.sagaplatform.gateway.web;

import dev.sagaplatform.gateway.charge.domain.ChargeVoidedException;
import dev.sagaplatform.gateway.charge.domain.IdempotencyKeyReusedException;
import dev.sagaplatform.gateway.charge.domain.RefundExceedsChargeException;
import dev.sagaplatform.gateway.fault.domain.InvalidFaultSettingsException;
import dev.sagaplatform.web.problem.PlatformProblemHandler;
import dev.sagaplatform.web.problem.ProblemType;
import dev.sagaplatform.web.problem.ProblemTypes;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

/**
 * The gateway's own failures as {@link GatewayProblems}; the rest is platform-web's {@link PlatformProblemHandler}.
 * As a card processor's API documents one type for every malformed request, every 400 here is {@code invalid-request}
 * (with the same {@code errors} or {@code field} members as elsewhere).
 */
@RestControllerAdvice
class GatewayProblemHandler extends PlatformProblemHandler {

    @ExceptionHandler
    ResponseEntity<Object> keyReused(IdempotencyKeyReusedException e, WebRequest request) {
        return answer(GatewayProblems.IDEMPOTENCY_KEY_REUSED.exception(e.getMessage()), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> voided(ChargeVoidedException e, WebRequest request) {
        return answer(GatewayProblems.CHARGE_VOIDED.exception(e.getMessage()), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> refundTooLarge(RefundExceedsChargeException e, WebRequest request) {
        return answer(GatewayProblems.REFUND_EXCEEDS_CHARGE.exception(e.getMessage()), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> invalidFaults(InvalidFaultSettingsException e, WebRequest request) {
        return answer(ProblemTypes.INVALID_REQUEST.exception(e.getMessage()), request);
    }

    @Override
    protected ProblemType typeFor(ProblemType standard) {
        return standard.status() == HttpStatus.BAD_REQUEST ? ProblemTypes.INVALID_REQUEST : standard;
    }

    @Override
    protected String unexpectedAdvice() {
        return "the request may not have been processed";
    }
}
