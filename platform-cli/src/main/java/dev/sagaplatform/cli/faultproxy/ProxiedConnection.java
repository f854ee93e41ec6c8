package dev.sagaplatform.cli.faultproxy;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection through a proxy: the client's socket, the socket to the upstream server, and
 * one {@link ToxicPipe} (and thread) for each direction.
 * <p>
 * Ends of stream are passed on as half-closes, so a client that shuts down its output still reads
 * the server's answer; the connection closes once both directions ended. A socket error in either
 * direction, a toxic that closes the connection, or the proxy being disabled closes both sockets at
 * once.
 */
final class ProxiedConnection {

    private static final int UPSTREAM_CONNECT_TIMEOUT_MILLIS = 10_000;

    private final TcpProxy proxy;
    private final Socket client;
    private final Socket upstream = new Socket();
    private final String upstreamAddress;
    private final String threadPrefix;
    private final ToxicPipe towardsUpstream;
    private final ToxicPipe towardsClient;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger endedDirections = new AtomicInteger();

    ProxiedConnection(TcpProxy proxy, Socket client, String upstreamAddress, ScheduledExecutorService timers) {
        this.proxy = proxy;
        this.client = client;
        this.upstreamAddress = upstreamAddress;
        this.threadPrefix = "fault-proxy-" + proxy.name() + "-" + client.getPort() + "-";
        this.towardsUpstream = new ToxicPipe(this, Direction.UPSTREAM, client, upstream, timers);
        this.towardsClient = new ToxicPipe(this, Direction.DOWNSTREAM, upstream, client, timers);
    }

    /** Connects to the upstream server and starts both directions, all off the proxy's accept thread. */
    void start() {
        daemon(this::connectAndPipe, threadPrefix + Direction.UPSTREAM.id()).start();
    }

    private void connectAndPipe() {
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(Addresses.upstreamAddress(upstreamAddress), UPSTREAM_CONNECT_TIMEOUT_MILLIS);
        }
        catch (IOException | IllegalArgumentException ex) {
            if (!isClosed()) {
                proxy.upstreamUnreachable(upstreamAddress, ex);
            }
            close();
            return;
        }
        proxy.upstreamReachable(upstreamAddress);
        daemon(towardsClient, threadPrefix + Direction.DOWNSTREAM.id()).start();
        towardsUpstream.run();
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The proxy's toxics right now, both directions, whether or not they apply to this connection. */
    List<InstalledToxic> toxics() {
        return proxy.toxics();
    }

    /** The proxy's toxics changed: start and stop the timers that toxics run on live connections. */
    void toxicsChanged() {
        towardsUpstream.reconcileTimers();
        towardsClient.reconcileTimers();
    }

    /** One direction passed on its end of stream; once both did, the connection is over. */
    void directionEnded(Socket destination) {
        try {
            destination.shutdownOutput();
        }
        catch (IOException ex) {
            close();
            return;
        }
        if (endedDirections.incrementAndGet() == 2) {
            close();
        }
    }

    /** A direction failed in an unexpected way: say so, then close. */
    void closeAfterFailure(RuntimeException failure) {
        proxy.report("closed a connection after an unexpected failure: " + failure);
        close();
    }

    /** Closes both sockets (FIN); idempotent, from any thread. */
    void close() {
        shutDown(false);
    }

    /** Resets both sockets: SO_LINGER 0 then close sends a TCP RST, which the peers see as "connection reset". */
    void reset() {
        shutDown(true);
    }

    private void shutDown(boolean reset) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeSocket(client, reset);
        closeSocket(upstream, reset);
        towardsUpstream.cancelTimers();
        towardsClient.cancelTimers();
        closed.countDown();
        proxy.forget(this);
    }

    private static void closeSocket(Socket socket, boolean reset) {
        try {
            if (reset && !socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        }
        catch (IOException ex) {
            // not connected yet: a plain close is all there is
        }
        try {
            socket.close();
        }
        catch (IOException ex) {
            // closing anyway
        }
    }

    boolean isClosed() {
        return closed.getCount() == 0;
    }

    /**
     * Waits {@code nanos}, or less if the connection closes meanwhile; then throws
     * {@link ClosedException} so that the direction that waited stops.
     */
    void pause(long nanos) throws ClosedException {
        if (nanos > 0) {
            try {
                closed.await(nanos, TimeUnit.NANOSECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                close();
            }
        }
        if (isClosed()) {
            throw new ClosedException();
        }
    }

    /** The connection closed while a direction was waiting or writing. */
    static final class ClosedException extends IOException {

        ClosedException() {
            super("connection closed");
        }
    }
}
