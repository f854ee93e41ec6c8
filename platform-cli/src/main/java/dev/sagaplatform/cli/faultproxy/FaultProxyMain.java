package dev.sagaplatform.cli.faultproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The fault proxy as its own process, started like {@code toxiproxy-server}:
 * <pre>
 *   PLATFORM_ADMIN_PASSWORD=... java ... dev.sagaplatform.cli.faultproxy.FaultProxyMain [--host H] [--port N] [--config FILE]
 * </pre>
 * {@code --config} is a JSON array of proxies, Toxiproxy's {@code -config} format, created at start.
 * The API's credentials are the platform admin's, {@code PLATFORM_ADMIN_USER} (default {@code admin})
 * and {@code PLATFORM_ADMIN_PASSWORD}; without a password it does not start. It logs one line per
 * proxy and toxic change to standard output, and stops cleanly on SIGTERM or Ctrl-C.
 */
public final class FaultProxyMain {

    static final String USER_ENV = "PLATFORM_ADMIN_USER";
    static final String PASSWORD_ENV = "PLATFORM_ADMIN_PASSWORD";

    private static final String USAGE = """
            Usage: FaultProxyMain [--host HOST] [--port PORT] [--config FILE]
              A TCP fault proxy with Toxiproxy's HTTP API (HTTP Basic: PLATFORM_ADMIN_USER / PLATFORM_ADMIN_PASSWORD).
              --host HOST    address the API listens on (default %s)
              --port PORT    port the API listens on (default %d; 0 for any free port)
              --config FILE  JSON array of proxies to create at start: [{"name", "listen", "upstream", "enabled"}]
            """.formatted(FaultProxyServer.DEFAULT_HOST, FaultProxyServer.DEFAULT_PORT);

    private FaultProxyMain() {
    }

    /** Refused arguments or environment: the message says what to change. */
    static final class StartException extends Exception {

        StartException(String message) {
            super(message);
        }
    }

    record Options(String host, int port, Path config, boolean help) {
    }

    public static void main(String[] args) {
        FaultProxyServer server;
        try {
            server = start(args, System.getenv(), System.out);
        }
        catch (StartException ex) {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        if (server == null) {
            return; // --help
        }
        // SIGTERM and Ctrl-C run the shutdown hooks; the API's dispatcher thread keeps the process up until then.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.out.println("fault proxy stopped");
            System.out.flush();
        }, "fault-proxy-shutdown"));
    }

    /** Starts the server as {@code main} does; null after printing the usage for {@code --help}. */
    static FaultProxyServer start(String[] args, Map<String, String> environment, PrintStream out) throws StartException {
        Options options = parse(args);
        if (options.help()) {
            out.print(USAGE);
            return null;
        }
        String password = environment.get(PASSWORD_ENV);
        if (password == null || password.isBlank()) {
            throw new StartException(PASSWORD_ENV + " is not set: the fault proxy's API is admin-only (HTTP Basic "
                    + USER_ENV + " / " + PASSWORD_ENV + "), so it does not start without the admin password.");
        }
        String user = environment.get(USER_ENV);
        if (user == null || user.isBlank()) {
            user = "admin";
        }
        JsonNode config = options.config() == null ? null : readConfig(options.config());
        FaultProxyServer server;
        try {
            // The configured proxies listen before the API does: once the API port accepts, they are up.
            server = FaultProxyServer.start(options.host(), options.port(), user, password, line -> out.println(line), config);
        }
        catch (IOException ex) {
            throw new StartException(ex.getMessage());
        }
        catch (ApiException ex) {
            throw new StartException(options.config() + ": " + ex.getMessage());
        }
        out.println("fault proxy API (Toxiproxy-compatible) listening on " + server.uri() + ", HTTP Basic as " + user);
        return server;
    }

    static Options parse(String[] args) throws StartException {
        String host = FaultProxyServer.DEFAULT_HOST;
        int port = FaultProxyServer.DEFAULT_PORT;
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (name.equals("--help") || name.equals("-h")) {
                return new Options(host, port, config, true);
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            }
            else if (i + 1 < args.length) {
                value = args[++i];
            }
            else {
                throw new StartException(name + " needs a value\n" + USAGE);
            }
            switch (name) {
                case "--host" -> host = value;
                case "--port" -> port = port(value);
                case "--config" -> config = Path.of(value);
                default -> throw new StartException("unknown option " + arg + "\n" + USAGE);
            }
        }
        return new Options(host, port, config, false);
    }

    private static int port(String value) throws StartException {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        }
        catch (NumberFormatException ex) {
            // said below
        }
        throw new StartException("--port " + value + ": give a port number from 0 to 65535");
    }

    private static JsonNode readConfig(Path file) throws StartException {
        try {
            JsonNode config = new ObjectMapper().readTree(Files.readString(file));
            if (config == null || !config.isArray()) {
                throw new StartException(file + ": expected a JSON array of proxies, e.g. "
                        + "[{\"name\": \"kafka\", \"listen\": \"127.0.0.1:19092\", \"upstream\": \"127.0.0.1:9092\"}]");
            }
            return config;
        }
        catch (IOException ex) {
            throw new StartException("could not read the proxy configuration " + file + ": " + ex.getMessage());
        }
    }
}
