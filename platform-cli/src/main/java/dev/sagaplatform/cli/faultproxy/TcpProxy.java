package dev.sagaplatform.cli.faultproxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One named proxy: a listening socket (while enabled), the connections accepted through it, and the
 * toxics that apply to them.
 * <p>
 * Disabling closes the listening socket, so new connections are refused (nothing listens), and
 * closes every live connection: that is how a network partition is made. Enabling listens again on
 * the same address, the port it got the first time included.
 */
final class TcpProxy {

    private static final int ACCEPT_BACKLOG = 128;
    private static final long ACCEPTOR_EXIT_TIMEOUT_MILLIS = 5_000;

    private final String name;
    private final ScheduledExecutorService timers;
    private final Consumer<String> events;
    private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();

    // Guarded by this.
    private String listen;
    private String upstream;
    private Thread acceptor;
    private long lastToxicId;

    /** The listening socket while enabled; written under the lock, read by the accept thread without it. */
    private volatile ServerSocket listener;

    /** Replaced as a whole on every change, so the pipes read it without a lock. */
    private volatile List<InstalledToxic> toxics = List.of();

    /** Whether the last connection to upstream succeeded: a down upstream is reported once, not once per client retry. */
    private final AtomicBoolean lastUpstreamConnectSucceeded = new AtomicBoolean(true);

    TcpProxy(String name, String listen, String upstream, ScheduledExecutorService timers, Consumer<String> events) {
        this.name = name;
        this.listen = listen;
        this.upstream = upstream;
        this.timers = timers;
        this.events = events;
    }

    String name() {
        return name;
    }

    boolean isEnabled() {
        return listener != null;
    }

    synchronized String listen() {
        return listen;
    }

    synchronized String upstream() {
        return upstream;
    }

    List<InstalledToxic> toxics() {
        return toxics;
    }

    synchronized ProxyInfo info() {
        return new ProxyInfo(name, listen, upstream, isEnabled(), toxics.stream().map(InstalledToxic::settings).toList());
    }

    /** Starts listening, on the port it had before if it had one; 500 if the address is taken. */
    synchronized void enable() {
        if (listener != null) {
            return;
        }
        InetSocketAddress address = Addresses.listenAddress(listen);
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            // Re-enabling binds the same port while the connections just cut may still be in TIME_WAIT.
            socket.setReuseAddress(true);
            socket.bind(address, ACCEPT_BACKLOG);
        }
        catch (IOException ex) {
            closeQuietly(socket);
            throw new ApiException(500, "proxy " + name + " could not listen on " + listen + ": " + ex.getMessage());
        }
        listener = socket;
        listen = Addresses.format((InetSocketAddress) socket.getLocalSocketAddress());
        ServerSocket acceptingOn = socket;
        String connectingTo = upstream;
        acceptor = new Thread(() -> acceptLoop(acceptingOn, connectingTo), "fault-proxy-" + name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Stops listening and cuts every live connection. */
    synchronized void disable() {
        ServerSocket closing = listener;
        if (closing == null) {
            return;
        }
        listener = null;
        closeQuietly(closing);
        // The JDK defers closing a socket that a thread is blocked on until that thread leaves accept(): the port
        // is only free for an immediate re-enable once the accept thread is gone.
        awaitEnd(acceptor);
        acceptor = null;
        for (ProxiedConnection connection : List.copyOf(connections)) {
            connection.close();
        }
    }

    /**
     * Toxiproxy's update: a new listen or upstream address restarts the proxy (dropping its
     * connections), then {@code enabled} says whether it runs.
     */
    synchronized void update(String newListen, String newUpstream, boolean enabled) {
        if (!newListen.equals(listen) || !newUpstream.equals(upstream)) {
            disable();
            listen = newListen;
            upstream = newUpstream;
        }
        if (enabled) {
            enable();
        }
        else {
            disable();
        }
    }

    /** Takes no lock, so that disable() can wait for it to end while holding the proxy's. */
    private void acceptLoop(ServerSocket socket, String upstreamAddress) {
        while (true) {
            Socket client;
            try {
                client = socket.accept();
            }
            catch (IOException ex) {
                if (socket.isClosed()) {
                    return; // disabled
                }
                report("could not accept a connection: " + ex.getMessage());
                pauseAfterAcceptFailure();
                continue;
            }
            if (listener != socket) {
                closeQuietly(client); // disabled between accept and here
                return;
            }
            ProxiedConnection connection = new ProxiedConnection(this, client, upstreamAddress, timers);
            connections.add(connection);
            // Disabled meanwhile: either disable() saw this connection and cut it, or this sees that and cuts it.
            if (listener != socket) {
                connection.close();
                return;
            }
            connection.start();
        }
    }

    private static void awaitEnd(Thread thread) {
        try {
            thread.join(ACCEPTOR_EXIT_TIMEOUT_MILLIS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** An accept that fails for another reason than a close (out of file descriptors, say) must not spin. */
    private static void pauseAfterAcceptFailure() {
        try {
            Thread.sleep(100);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    void forget(ProxiedConnection connection) {
        connections.remove(connection);
    }

    synchronized InstalledToxic toxic(String toxicName) {
        for (InstalledToxic toxic : toxics) {
            if (toxic.name().equals(toxicName)) {
                return toxic;
            }
        }
        return null;
    }

    synchronized InstalledToxic addToxic(Toxic settings, ToxicType type, Direction direction) {
        if (toxic(settings.name()) != null) {
            throw new ApiException(409, "toxic already exists");
        }
        InstalledToxic added = new InstalledToxic(++lastToxicId, settings, type, direction);
        List<InstalledToxic> changed = new ArrayList<>(toxics);
        changed.add(added);
        replaceToxics(changed);
        return added;
    }

    synchronized InstalledToxic updateToxic(InstalledToxic existing, Toxic newSettings) {
        InstalledToxic updated = existing.updatedTo(newSettings);
        List<InstalledToxic> changed = new ArrayList<>(toxics);
        changed.replaceAll(toxic -> toxic == existing ? updated : toxic);
        replaceToxics(changed);
        return updated;
    }

    synchronized boolean removeToxic(String toxicName) {
        List<InstalledToxic> changed = new ArrayList<>(toxics);
        if (!changed.removeIf(toxic -> toxic.name().equals(toxicName))) {
            return false;
        }
        replaceToxics(changed);
        return true;
    }

    synchronized void removeAllToxics() {
        replaceToxics(List.of());
    }

    private void replaceToxics(List<InstalledToxic> changed) {
        toxics = List.copyOf(changed);
        for (ProxiedConnection connection : connections) {
            connection.toxicsChanged();
        }
    }

    void upstreamUnreachable(String address, Exception cause) {
        if (lastUpstreamConnectSucceeded.compareAndSet(true, false)) {
            report("upstream " + address + " unreachable (" + cause.getMessage() + "); clients are disconnected until it answers");
        }
    }

    void upstreamReachable(String address) {
        if (lastUpstreamConnectSucceeded.compareAndSet(false, true)) {
            report("upstream " + address + " reachable again");
        }
    }

    void report(String event) {
        events.accept("proxy " + name + ": " + event);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        }
        catch (Exception ex) {
            // closing anyway
        }
    }
}
