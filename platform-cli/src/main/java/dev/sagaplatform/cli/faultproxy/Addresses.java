package dev.sagaplatform.cli.faultproxy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Toxiproxy's {@code host:port} addresses ({@code [::1]:port} for IPv6), parsed, resolved and written back. */
final class Addresses {

    /** Where a proxy created without {@code listen} listens: loopback, on a port the system chooses. */
    static final String DEFAULT_LISTEN = "127.0.0.1:0";

    private Addresses() {
    }

    /**
     * The socket address a proxy listens on. An empty host ({@code ":8080"}) means loopback here,
     * where Toxiproxy would listen on every interface: a fault proxy has no business being reachable
     * from other machines.
     */
    static InetSocketAddress listenAddress(String listen) {
        String[] hostAndPort = split(listen, "listen", true);
        String host = hostAndPort[0].isEmpty() ? "127.0.0.1" : hostAndPort[0];
        try {
            return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(hostAndPort[1]));
        }
        catch (UnknownHostException ex) {
            throw ApiException.badRequest("bad listen address '" + listen + "': unknown host " + host);
        }
    }

    /** The listen address written as the API shows it: resolved, so that "localhost:0" reads "127.0.0.1:0". */
    static String normalizeListen(String listen) {
        return format(listenAddress(listen));
    }

    /** Checks an upstream address; it is resolved again for every connection, as the name may move. */
    static String checkUpstream(String upstream) {
        String[] hostAndPort = split(upstream, "upstream", false);
        if (hostAndPort[0].isEmpty()) {
            throw ApiException.badRequest("bad upstream address '" + upstream + "': expected host:port");
        }
        return upstream;
    }

    static InetSocketAddress upstreamAddress(String upstream) {
        String[] hostAndPort = split(upstream, "upstream", false);
        return new InetSocketAddress(hostAndPort[0], Integer.parseInt(hostAndPort[1]));
    }

    static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        if (ip instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
        }
        return host + ":" + address.getPort();
    }

    /** {@code [host, port]}, the host without IPv6 brackets; 400 unless the port is a number in range. */
    private static String[] split(String address, String field, boolean portZeroAllowed) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw ApiException.badRequest("bad " + field + " address '" + address + "': expected host:port");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        }
        catch (NumberFormatException ex) {
            port = -1;
        }
        if (port < (portZeroAllowed ? 0 : 1) || port > 65_535) {
            throw ApiException.badRequest("bad " + field + " address '" + address + "': the port must be a number from "
                    + (portZeroAllowed ? 0 : 1) + " to 65535");
        }
        return new String[] {host, String.valueOf(port)};
    }
}
