package dev.sagaplatform.order.orders.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLTransientConnectionException;
import dev.sagaplatform.web.problem.PlatformProblemHandler;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;

/** A database outage is the client's cue to retry with the same key (503), never an unexplained 500. */
class OrderProblemHandlerTest {

    private final OrderProblemHandler handler = new OrderProblemHandler();

    @Test
    void noConnectionForTheTransactionIs503WithRetryAfter() {
        var outage = new CannotCreateTransactionException("Could not open JPA EntityManager for transaction",
                new SQLTransientConnectionException("order-service - Connection is not available, request timed out after 5000ms",
                        new ConnectException("Connection refused")));

        ResponseEntity<ProblemDetail> answer = answer(handler.databaseUnavailable(outage, request()));

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo(String.valueOf(PlatformProblemHandler.DEPENDENCY_RETRY_AFTER_SECONDS));
        assertThat(answer.getBody().getType().toString()).endsWith("/dependency-unavailable");
        assertThat(answer.getBody().getProperties()).containsEntry("dependency", "database");
        assertThat(answer.getBody().getDetail()).contains("retry with the same Idempotency-Key");
    }

    @Test
    void aConnectionThatBrokeMidTransactionIs503Too() {
        ResponseEntity<ProblemDetail> answer = answer(handler.databaseUnavailable(
                new DataAccessResourceFailureException("An I/O error occurred while sending to the backend"), request()));

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getBody().getProperties()).containsEntry("dependency", "database");
    }

    private static WebRequest request() {
        return new ServletWebRequest(new MockHttpServletRequest("POST", "/orders"));
    }

    private static ResponseEntity<ProblemDetail> answer(ResponseEntity<Object> answer) {
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders()).body((ProblemDetail) answer.getBody());
    }
}
