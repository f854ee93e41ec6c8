package dev.sagaplatform.gateway.fault.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Drops the connection of a request that {@link FaultInjectionFilter} marked, without any response.
 * The servlet API can only answer; closing the socket needs Tomcat's own request, which only a valve
 * sees. {@code CLOSE_NOW} also discards whatever the response buffer holds.
 */
final class ConnectionResetValve extends ValveBase {

    static final String RESET_REQUESTED = ConnectionResetValve.class.getName() + ".RESET_REQUESTED";

    ConnectionResetValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        if (request.getAttribute(RESET_REQUESTED) != null) {
            // With another connector the close is orderly: still no answer, just not a reset.
            if (request.getConnector().getProtocolHandler() instanceof ResettableHttp11NioProtocol protocol) {
                protocol.prepareReset(request.getCoyoteRequest());
            }
            request.getCoyoteRequest().action(ActionCode.CLOSE_NOW, null);
        }
    }
}
