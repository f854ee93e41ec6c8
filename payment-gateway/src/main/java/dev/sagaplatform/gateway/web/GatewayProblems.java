package dev.sagaplatform.gateway.web;

import dev.sagaplatform.web.problem.ProblemType;
import org.springframework.http.HttpStatus;

/**
 * The gateway's own problem types, besides the platform's ({@code ProblemTypes}; every 400 is {@code invalid-request}
 * here, see {@link GatewayProblemHandler}). Clients branch on these, never on titles or details.
 */
public final class GatewayProblems {

    public static final ProblemType IDEMPOTENCY_KEY_REUSED =
            ProblemType.of("idempotency-key-reused", HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused");
    public static final ProblemType CHARGE_VOIDED = ProblemType.of("charge-voided", HttpStatus.CONFLICT, "Charge voided");
    public static final ProblemType REFUND_EXCEEDS_CHARGE =
            ProblemType.of("refund-exceeds-charge", HttpStatus.UNPROCESSABLE_CONTENT, "Refund exceeds charge");
    public static final ProblemType REFUND_REFUSED = ProblemType.of("refund-refused", HttpStatus.UNPROCESSABLE_CONTENT, "Refund refused");
    public static final ProblemType CHARGE_NOT_FOUND = ProblemType.of("charge-not-found", HttpStatus.NOT_FOUND, "Charge not found");
    public static final ProblemType GATEWAY_UNAVAILABLE =
            ProblemType.of("gateway-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Payment gateway unavailable");
    public static final ProblemType GATEWAY_TIMEOUT = ProblemType.of("gateway-timeout", HttpStatus.GATEWAY_TIMEOUT, "Gateway timeout");

    private GatewayProblems() {
    }
}
