package dev.sagaplatform.cli.faultproxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A TCP fault proxy that speaks Toxiproxy's HTTP API, so that one chaos experiment drives either
 * this or a real Toxiproxy (github.com/Shopify/toxiproxy). The local platform, which runs without
 * Docker, routes each service's TCP paths (to Kafka, to PostgreSQL, to another service's HTTP port)
 * through it. It is written here because no Java Toxiproxy server exists on Maven Central (the Java
 * libraries there are clients of the Go server, or Testcontainers' wrapper around its image).
 * <p>
 * The API, on the JDK's own HTTP server: {@code GET /version}, {@code GET|POST /proxies},
 * {@code GET|POST|PATCH|DELETE /proxies/{proxy}}, {@code GET|POST /proxies/{proxy}/toxics},
 * {@code GET|POST|PATCH|DELETE /proxies/{proxy}/toxics/{toxic}}, {@code POST /reset} and
 * {@code POST /populate}, with Toxiproxy's JSON shapes, status codes and
 * {@code {"error": ..., "status": ...}} errors. The toxics are Toxiproxy's ({@link ToxicType}), with
 * its attributes and semantics; see {@link ToxicPipe} for how they act on a connection.
 * <p>
 * Where it differs from Toxiproxy:
 * <ul>
 *   <li>Every request needs the HTTP Basic credentials given at start (401 with
 *       {@code WWW-Authenticate: Basic realm="fault-proxy"} otherwise). Toxiproxy has no
 *       authentication; on this platform whoever can inject faults can take any service down, so
 *       the whole API is admin-only, like every other admin endpoint.</li>
 *   <li>Unknown toxic attributes, fractional or negative ones or ones above 2147483647, and a toxicity
 *       outside 0..1 are a 400 naming what is allowed; Toxiproxy ignores unknown attributes and takes
 *       the rest as they come.</li>
 *   <li>A listen address without a host ({@code ":8080"}) listens on loopback, not on every interface.</li>
 *   <li>Toxics compose in a fixed order rather than in the order they were added, and the timeout
 *       toxic's timer runs from when the toxic takes hold of a connection (as Toxiproxy's README
 *       says) rather than restarting at every chunk it drops (as its code does).</li>
 *   <li>Whether a toxic applies to a connection is drawn once per connection (and again after an
 *       update of the toxic); Toxiproxy draws again whenever that connection's chain changes.</li>
 *   <li>Removing a latency toxic does not hurry data it already holds; Toxiproxy lets it go at once.</li>
 *   <li>reset_peer sends a RST also on connections older than the toxic; Toxiproxy's close there is a FIN.</li>
 *   <li>Ends of stream are passed on as half-closes; Toxiproxy closes the whole connection.</li>
 * </ul>
 * Like Toxiproxy it answers 403 to browsers (a User-Agent starting with {@code Mozilla/}), so that a
 * web page cannot use a browser's saved credentials against it.
 */
public final class FaultProxyServer implements AutoCloseable {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8474;
    /** What {@code GET /version} answers: this is not Toxiproxy, but it speaks its API. */
    public static final String VERSION = "saga-platform-fault-proxy-1.0 (toxiproxy-api-2)";
    public static final String REALM = "fault-proxy";

    private static final String CREDENTIALS = "HTTP Basic credentials of the platform admin (PLATFORM_ADMIN_USER / PLATFORM_ADMIN_PASSWORD)";
    private static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final int API_THREADS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK's HTTP server writes a response's headers and body separately; with Nagle's algorithm on, the
        // body waits for the client's delayed ACK of the headers, some 40 ms per call. This documented switch of
        // the jdk.httpserver module turns Nagle off; it is read once, when the JVM's first HTTP server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer http;
    private final ExecutorService apiThreads;
    private final ScheduledThreadPoolExecutor timers;
    private final ProxyRegistry registry;
    private final byte[] userDigest;
    private final byte[] passwordDigest;

    private FaultProxyServer(HttpServer http, ExecutorService apiThreads, ScheduledThreadPoolExecutor timers, ProxyRegistry registry,
                             String adminUser, String adminPassword) {
        this.http = http;
        this.apiThreads = apiThreads;
        this.timers = timers;
        this.registry = registry;
        this.userDigest = sha256(adminUser);
        this.passwordDigest = sha256(adminPassword);
    }

    /** Starts the API on {@code host:port} (port 0: any free port), logging nothing. */
    public static FaultProxyServer start(String host, int port, String adminUser, String adminPassword) throws IOException {
        return start(host, port, adminUser, adminPassword, event -> { });
    }

    /**
     * Starts the API on {@code host:port} (port 0: any free port).
     *
     * @param adminUser     the only user the API accepts
     * @param adminPassword its password; must not be blank
     * @param events        told one line for each proxy created, enabled, disabled or deleted, each toxic
     *                      added, updated or removed, each reset, and each upstream that stops or starts answering
     */
    public static FaultProxyServer start(String host, int port, String adminUser, String adminPassword, Consumer<String> events)
            throws IOException {
        return start(host, port, adminUser, adminPassword, events, null);
    }

    /**
     * Like {@link #start(String, int, String, String, Consumer)}, with proxies to create first (a
     * {@code /populate} body, Toxiproxy's {@code -config} format). They listen before the API does, so
     * that whoever waits for the API port to accept connections knows the proxies are up too.
     *
     * @throws ApiException when a proxy is invalid or cannot listen; nothing is left running then
     */
    static FaultProxyServer start(String host, int port, String adminUser, String adminPassword, Consumer<String> events,
                                  JsonNode initialProxies) throws IOException {
        Objects.requireNonNull(adminUser, "adminUser");
        if (adminPassword == null || adminPassword.isBlank()) {
            throw new IllegalArgumentException("the fault proxy's API needs an admin password");
        }
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemonThreads("fault-proxy-timers"));
        timers.setRemoveOnCancelPolicy(true);
        ProxyRegistry registry = new ProxyRegistry(timers, events);
        ExecutorService apiThreads = Executors.newFixedThreadPool(API_THREADS, daemonThreads("fault-proxy-api"));
        HttpServer http;
        try {
            if (initialProxies != null) {
                ApiException refused = registry.populate(initialProxies).error();
                if (refused != null) {
                    throw refused;
                }
            }
            http = HttpServer.create(new InetSocketAddress(host, port), 0);
        }
        catch (IOException | RuntimeException ex) {
            registry.close();
            timers.shutdownNow();
            apiThreads.shutdownNow();
            if (ex instanceof IOException) {
                throw new IOException("the fault proxy's API could not listen on " + host + ":" + port + ": " + ex.getMessage(), ex);
            }
            throw (RuntimeException) ex;
        }
        FaultProxyServer server = new FaultProxyServer(http, apiThreads, timers, registry, adminUser, adminPassword);
        http.createContext("/", server::handle);
        http.setExecutor(apiThreads);
        http.start();
        return server;
    }

    /** Where the API listens (with the real port when started on port 0). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** The API's base URI, e.g. {@code http://127.0.0.1:8474}. */
    public URI uri() {
        return URI.create("http://" + Addresses.format(address()));
    }

    /** Stops the API, cuts every proxied connection and stops listening on every proxy. */
    @Override
    public void close() {
        http.stop(0);
        registry.close();
        apiThreads.shutdownNow();
        timers.shutdownNow();
    }

    /** A response: a status and a JSON body, or no body. */
    private record Reply(int status, Object body) {

        static Reply ok(Object body) {
            return new Reply(200, body);
        }

        static Reply noContent() {
            return new Reply(204, null);
        }
    }

    private void handle(HttpExchange exchange) {
        try {
            Reply reply;
            try {
                reply = authorizeAndRoute(exchange);
            }
            catch (ApiException ex) {
                reply = new Reply(ex.status(), error(ex));
            }
            catch (RuntimeException ex) {
                reply = new Reply(500, error(new ApiException(500, "internal error: " + ex)));
            }
            send(exchange, reply);
        }
        catch (IOException ex) {
            // the client went away before the answer
        }
        finally {
            exchange.close();
        }
    }

    private Reply authorizeAndRoute(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
            throw new ApiException(401, "this API needs the " + CREDENTIALS);
        }
        if (!credentialsMatch(authorization.substring(6).trim())) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
            throw new ApiException(401, "the credentials were not accepted; this API needs the " + CREDENTIALS);
        }
        String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
        if (userAgent != null && userAgent.startsWith("Mozilla/")) {
            throw new ApiException(403, "User agent not allowed");
        }
        return route(exchange.getRequestMethod(), segments(exchange.getRequestURI().getRawPath()), exchange);
    }

    /** Compares digests of both parts, so that the time taken says nothing about the expected user or password. */
    private boolean credentialsMatch(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        boolean userMatches = MessageDigest.isEqual(sha256(decoded.substring(0, colon)), userDigest);
        boolean passwordMatches = MessageDigest.isEqual(sha256(decoded.substring(colon + 1)), passwordDigest);
        return userMatches & passwordMatches;
    }

    private Reply route(String method, List<String> path, HttpExchange exchange) {
        if (path.size() == 1) {
            switch (path.get(0)) {
                case "version":
                    allow(method, "GET");
                    return Reply.ok(JSON.createObjectNode().put("version", VERSION));
                case "reset":
                    allow(method, "POST");
                    registry.reset();
                    return Reply.noContent();
                case "populate":
                    allow(method, "POST");
                    return populated(registry.populate(body(exchange)));
                case "proxies":
                    allow(method, "GET", "POST");
                    return "GET".equals(method) ? Reply.ok(registry.proxies()) : new Reply(201, registry.create(body(exchange)));
                default:
                    break;
            }
        }
        if (path.size() >= 2 && "proxies".equals(path.get(0))) {
            String proxy = path.get(1);
            if (path.size() == 2) {
                allow(method, "GET", "POST", "PATCH", "DELETE");
                switch (method) {
                    case "GET":
                        return Reply.ok(registry.proxy(proxy));
                    case "DELETE":
                        registry.delete(proxy);
                        return Reply.noContent();
                    default:
                        return Reply.ok(registry.update(proxy, body(exchange)));
                }
            }
            if (path.size() == 3 && "toxics".equals(path.get(2))) {
                allow(method, "GET", "POST");
                // Toxiproxy answers a new toxic with 200, not 201.
                return Reply.ok("GET".equals(method) ? registry.toxics(proxy) : registry.addToxic(proxy, body(exchange)));
            }
            if (path.size() == 4 && "toxics".equals(path.get(2))) {
                String toxic = path.get(3);
                allow(method, "GET", "POST", "PATCH", "DELETE");
                switch (method) {
                    case "GET":
                        return Reply.ok(registry.toxic(proxy, toxic));
                    case "DELETE":
                        registry.removeToxic(proxy, toxic);
                        return Reply.noContent();
                    default:
                        return Reply.ok(registry.updateToxic(proxy, toxic, body(exchange)));
                }
            }
        }
        throw new ApiException(404, "not found");
    }

    /** Like Toxiproxy: 201 with the proxies, or the error's status with the error and the proxies done before it. */
    private static Reply populated(ProxyRegistry.PopulateResult result) {
        ObjectNode body = JSON.createObjectNode();
        if (result.error() != null) {
            body.put("error", result.error().getMessage()).put("status", result.error().status());
        }
        body.set("proxies", JSON.valueToTree(result.proxies()));
        return new Reply(result.error() == null ? 201 : result.error().status(), body);
    }

    private static void allow(String method, String... allowed) {
        for (String candidate : allowed) {
            if (candidate.equals(method)) {
                return;
            }
        }
        throw new ApiException(405, "method " + method + " not allowed here; use " + String.join(" or ", allowed));
    }

    private static JsonNode body(HttpExchange exchange) {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            throw ApiException.badRequest("bad request body: empty");
        }
        try {
            return JSON.readTree(bytes);
        }
        catch (JsonProcessingException ex) {
            throw ApiException.badRequest("bad request body: " + ex.getOriginalMessage());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The decoded, non-empty path segments: {@code /proxies/kafka/} is {@code [proxies, kafka]}. */
    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            try {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
            catch (IllegalArgumentException ex) {
                throw ApiException.badRequest("bad path: " + rawPath);
            }
        }
        return segments;
    }

    private static ObjectNode error(ApiException ex) {
        return JSON.createObjectNode().put("error", ex.getMessage()).put("status", ex.status());
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        if (reply.body() == null) {
            exchange.sendResponseHeaders(reply.status(), -1);
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
