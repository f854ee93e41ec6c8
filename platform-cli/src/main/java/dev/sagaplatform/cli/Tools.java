package dev.sagaplatform.cli;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small helpers for processes, ports and time. */
final class Tools {

    private Tools() {
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a server could bind {@code port} on all interfaces right now (the services bind 0.0.0.0). */
    static boolean isPortFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        }
        catch (IOException ex) {
            return false;
        }
        // Something listening on loopback only (another PostgreSQL, say) does not block a wildcard bind everywhere.
        return !accepts(port);
    }

    /**
     * A port nothing listens on, picked below the kernel's ephemeral range. A port the kernel hands out for
     * {@code bind(0)} comes from that range, which every outgoing connection also takes its local port from: between
     * picking it and the process that binds it later starting up, a connection of one of the other processes starting at
     * the same time can take it (seen: the broker's listener for a service "Address already in use" while seventeen
     * processes started). Below the range, only a listener can.
     */
    static int freePortBelowEphemeralRange() {
        int ephemeralLow = 32768;
        try {
            String range = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            ephemeralLow = Integer.parseInt(range.split("\\s+")[0]);
        }
        catch (IOException | RuntimeException ex) {
            // Not Linux, or not readable: the usual Linux default.
        }
        int from = 10_000;
        int to = ephemeralLow - 1;
        if (to - from >= 1_000) {
            java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
            for (int attempt = 0; attempt < 200; attempt++) {
                int port = random.nextInt(from, to + 1);
                if (isPortFree(port)) {
                    return port;
                }
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException("no free port", ex);
        }
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted");
        }
    }

    static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
