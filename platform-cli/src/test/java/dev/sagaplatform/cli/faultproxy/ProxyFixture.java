package dev.sagaplatform.cli.faultproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A fault proxy server on an ephemeral port in front of a real echo server, a client with the admin
 * credentials, and socket helpers. Every port is ephemeral; sockets time out after {@link #SAFETY_TIMEOUT_MILLIS}
 * only so that a broken proxy fails a test instead of hanging it, never as an assertion.
 */
final class ProxyFixture implements AutoCloseable {

    static final String USER = "admin";
    static final String PASSWORD = "s3cret-for-tests";
    static final int SAFETY_TIMEOUT_MILLIS = 10_000;

    final EchoServer echo;
    final FaultProxyServer server;
    final FaultProxyClient client;
    final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    ProxyFixture() throws IOException {
        echo = new EchoServer();
        server = FaultProxyServer.start("127.0.0.1", 0, USER, PASSWORD, events::add);
        client = new FaultProxyClient(server.uri(), USER, PASSWORD);
    }

    /** A proxy named {@code name} in front of the echo server, on an ephemeral port. */
    ProxyInfo echoProxy(String name) {
        return client.createProxy(name, "127.0.0.1:0", echo.address());
    }

    Socket connect(ProxyInfo proxy) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(address(proxy.listen()), SAFETY_TIMEOUT_MILLIS);
        socket.setSoTimeout(SAFETY_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    static InetSocketAddress address(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return new InetSocketAddress(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
    }

    static String roundTrip(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(bytes);
        return new String(readExactly(socket, bytes.length), StandardCharsets.UTF_8);
    }

    /** Writes from another thread (so that a large payload cannot dead-lock on full buffers) and reads the echo. */
    static byte[] echoed(Socket socket, byte[] payload) throws Exception {
        OutputStream out = socket.getOutputStream();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                out.write(payload);
            }
            catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        byte[] read = readExactly(socket, payload.length);
        writer.get();
        return read;
    }

    static byte[] readExactly(Socket socket, int length) throws IOException {
        byte[] bytes = socket.getInputStream().readNBytes(length);
        if (bytes.length < length) {
            throw new IOException("the stream ended after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    /** Reads until the text read so far ends with {@code suffix}. */
    static String readUntil(Socket socket, String suffix) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (!read.toString(StandardCharsets.UTF_8).endsWith(suffix)) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("the stream ended after '" + read.toString(StandardCharsets.UTF_8) + "'");
            }
            read.write(next);
        }
        return read.toString(StandardCharsets.UTF_8);
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        server.close();
        echo.close();
    }
}
