package dev.sagaplatform.gateway.fault.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import org.apache.coyote.ActionCode;
import org.apache.coyote.Request;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Tomcat's default NIO protocol, plus access to the socket behind a request: only with
 * {@code SO_LINGER=0} does closing a connection send a TCP RST, which the client reports as
 * "connection reset" rather than an orderly end of stream. Tomcat offers no public way from a request
 * to its socket except through the endpoint's open connections.
 */
public class ResettableHttp11NioProtocol extends Http11NioProtocol {

    /** @return false if the request's connection is no longer open, so a plain close is all that is left */
    boolean prepareReset(Request request) {
        // The peer as the socket saw it; the servlet-level address may have been rewritten from
        // X-Forwarded-For by a RemoteIpValve.
        request.action(ActionCode.REQ_HOST_ADDR_ATTRIBUTE, request);
        request.action(ActionCode.REQ_REMOTEPORT_ATTRIBUTE, request);
        String peerAddress = request.remoteAddr().toString();
        int peerPort = request.getRemotePort();
        for (SocketWrapperBase<NioChannel> connection : getEndpoint().getConnections()) {
            if (connection.getRemotePort() == peerPort && peerAddress.equals(connection.getRemoteAddr())) {
                try {
                    connection.getSocket().getIOChannel().setOption(StandardSocketOptions.SO_LINGER, 0);
                    return true;
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
        }
        return false;
    }
}
