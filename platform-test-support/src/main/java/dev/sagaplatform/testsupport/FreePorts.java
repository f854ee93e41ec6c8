package dev.sagaplatform.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free local TCP ports for servers that must be told their port up front. */
public final class FreePorts {

    // The kernel may hand the same ephemeral port out again once it is closed; a port given to one
    // caller of this JVM is not given to another, so two servers started back to back cannot collide.
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port that was free on the loopback interface a moment ago. */
    public static int find() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            catch (IOException ex) {
                throw new UncheckedIOException("No free local port", ex);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free local port that this JVM has not handed out already");
    }

    /** Whether nothing listens on the port on the loopback interface right now. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }
}
