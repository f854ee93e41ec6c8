package dev.sagaplatform.gateway.fault.web;

import dev.sagaplatform.gateway.fault.FaultInjector;
import dev.sagaplatform.gateway.fault.domain.FaultPlan;
import dev.sagaplatform.gateway.web.GatewayProblems;
import dev.sagaplatform.web.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpMethod;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Applies the fault settings to charge and refund requests, in the order a real processor's failures
 * show up to its caller: a hang, then latency, then a dropped connection or a 503 before or after the
 * work is done. Reads are left alone so that invariant checks can always see what was charged.
 */
final class FaultInjectionFilter extends OncePerRequestFilter {

    private final FaultInjector injector;
    private final JsonMapper json;

    FaultInjectionFilter(FaultInjector injector, JsonMapper json) {
        this.injector = injector;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !HttpMethod.POST.matches(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        switch (injector.awaitHangRelease()) {
            case TIMED_OUT -> {
                ProblemResponses.write(response, json, GatewayProblems.GATEWAY_TIMEOUT,
                        "The payment gateway hung and gave up on the request without processing it", request.getRequestURI());
                return;
            }
            case SHUTTING_DOWN -> {
                unavailable(request, response, "The payment gateway is shutting down; the request was not processed");
                return;
            }
            default -> {
                // Not hanging, or released: carry on.
            }
        }
        if (injector.settings().refuseRefunds() && request.getRequestURI().equals("/refunds")) {
            ProblemResponses.write(response, json, GatewayProblems.REFUND_REFUSED,
                    "Injected fault: the processor refuses this refund; nothing was refunded or voided", request.getRequestURI());
            return;
        }
        FaultPlan plan = injector.plan();
        if (!sleep(plan.delayMs())) {
            unavailable(request, response, "The payment gateway is shutting down; the request was not processed");
            return;
        }
        switch (plan.action()) {
            case RESET_CONNECTION -> request.setAttribute(ConnectionResetValve.RESET_REQUESTED, Boolean.TRUE);
            case FAIL_BEFORE_PROCESSING -> unavailable(request, response, "Injected fault: the request was not processed");
            case FAIL_AFTER_PROCESSING -> processThenFail(request, response, chain);
            case PROCEED -> chain.doFilter(request, response);
        }
    }

    /** The answer is buffered so it can be swapped for a 503 once the work is committed. */
    private void processThenFail(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper buffered = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, buffered);
        int status = buffered.getStatus();
        if (status >= 200 && status < 300) {
            injector.errorAfterProcessingInjected();
            response.reset();
            unavailable(request, response, "Injected fault: the request may or may not have been processed");
        }
        else {
            buffered.copyBodyToResponse();
        }
    }

    private void unavailable(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        ProblemResponses.write(response, json, GatewayProblems.GATEWAY_UNAVAILABLE, detail, request.getRequestURI());
    }

    private static boolean sleep(long millis) {
        if (millis <= 0) {
            return true;
        }
        try {
            Thread.sleep(millis);
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
