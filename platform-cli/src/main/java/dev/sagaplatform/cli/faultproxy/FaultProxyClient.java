package dev.sagaplatform.cli.faultproxy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A client of Toxiproxy's HTTP API, for the chaos runner: it drives a {@link FaultProxyServer} or a
 * real Toxiproxy alike. Every failure is a {@link FaultProxyException} carrying the API's error text
 * and status.
 * <p>
 * Updates are sent as POST, which every Toxiproxy 2.x accepts (newer ones also take PATCH).
 */
public final class FaultProxyClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    /** A client without credentials, for a real Toxiproxy. */
    public FaultProxyClient(URI base) {
        this(base, null, null);
    }

    /**
     * @param base     the API's address, e.g. {@code http://127.0.0.1:8474}
     * @param user     HTTP Basic user, or null to send no credentials (a real Toxiproxy has none)
     * @param password HTTP Basic password, or null
     */
    public FaultProxyClient(URI base, String user, String password) {
        this.base = base;
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
    }

    /** The server's version text ({@code {"version": ...}}, or the plain text older Toxiproxy versions answer). */
    public String version() {
        String body = call("GET", "/version", null, 200);
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.hasNonNull("version")) {
                return json.get("version").asText();
            }
        }
        catch (IOException ex) {
            // plain text
        }
        return body.trim();
    }

    /** Every proxy by name. */
    public Map<String, ProxyInfo> proxies() {
        return read(call("GET", "/proxies", null, 200), new TypeReference<Map<String, ProxyInfo>>() { });
    }

    public ProxyInfo proxy(String name) {
        return read(call("GET", proxyPath(name), null, 200), new TypeReference<ProxyInfo>() { });
    }

    /**
     * Creates an enabled proxy.
     *
     * @param listen   {@code host:port} to listen on ({@code 127.0.0.1:0} for any free port; the answer has
     *                 the real one), or null for the server's default
     * @param upstream {@code host:port} to connect to
     */
    public ProxyInfo createProxy(String name, String listen, String upstream) {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("upstream", upstream).put("enabled", true);
        if (listen != null) {
            body.put("listen", listen);
        }
        return read(call("POST", "/proxies", body, 201), new TypeReference<ProxyInfo>() { });
    }

    /** Disabling cuts the proxy's connections and refuses new ones (a partition); enabling listens again. */
    public ProxyInfo setEnabled(String name, boolean enabled) {
        ObjectNode body = JSON.createObjectNode().put("enabled", enabled);
        return read(call("POST", proxyPath(name), body, 200), new TypeReference<ProxyInfo>() { });
    }

    public void deleteProxy(String name) {
        call("DELETE", proxyPath(name), null, 204);
    }

    public List<Toxic> toxics(String proxy) {
        return read(call("GET", proxyPath(proxy) + "/toxics", null, 200), new TypeReference<List<Toxic>>() { });
    }

    /** Adds a toxic; the answer has its name (the server's {@code <type>_<stream>} if it had none) and every attribute. */
    public Toxic addToxic(String proxy, Toxic toxic) {
        JsonNode body = JSON.valueToTree(toxic);
        return read(call("POST", proxyPath(proxy) + "/toxics", body, 200), new TypeReference<Toxic>() { });
    }

    /** Changes some of a toxic's attributes; the others keep their values. */
    public Toxic updateToxic(String proxy, String toxicName, Map<String, Long> attributes) {
        ObjectNode body = JSON.createObjectNode();
        body.set("attributes", JSON.valueToTree(attributes));
        return read(call("POST", toxicPath(proxy, toxicName), body, 200), new TypeReference<Toxic>() { });
    }

    public void removeToxic(String proxy, String toxicName) {
        call("DELETE", toxicPath(proxy, toxicName), null, 204);
    }

    /** Enables every proxy and removes every toxic. */
    public void reset() {
        call("POST", "/reset", null, 204);
    }

    private static String proxyPath(String name) {
        return "/proxies/" + segment(name);
    }

    private static String toxicPath(String proxy, String toxic) {
        return proxyPath(proxy) + "/toxics/" + segment(toxic);
    }

    private static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String call(String method, String path, JsonNode body, int expectedStatus) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new FaultProxyException(method + " " + path + ": no answer from the fault proxy at " + base + " ("
                    + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage()) + ")", 0, null, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new FaultProxyException(method + " " + path + ": interrupted", 0, null, ex);
        }
        if (response.statusCode() != expectedStatus) {
            String error = errorText(response.body());
            throw new FaultProxyException(method + " " + path + " answered HTTP " + response.statusCode() + ": " + error,
                    response.statusCode(), error, null);
        }
        return response.body();
    }

    /** Toxiproxy's {@code {"error": ..., "status": ...}}, or the body as it is. */
    private static String errorText(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.hasNonNull("error")) {
                return json.get("error").asText();
            }
        }
        catch (IOException ex) {
            // not JSON: show it as it is
        }
        return body == null || body.isBlank() ? "(no body)" : body.trim();
    }

    private static <T> T read(String body, TypeReference<T> type) {
        try {
            return JSON.readValue(body, type);
        }
        catch (IOException ex) {
            throw new FaultProxyException("the fault proxy answered something else than the expected JSON: " + body, 0, null, ex);
        }
    }
}
