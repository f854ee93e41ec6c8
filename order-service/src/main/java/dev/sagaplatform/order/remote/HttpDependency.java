package dev.sagaplatform.order.remote;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.web.client.RestClient;

/**
 * Where the instances of another service are and how long to wait for them. One URL when a platform balances
 * (compose, a Kubernetes Service); several when order-service balances itself ({@code ./platform up --replicas}).
 */
public record HttpDependency(List<URI> baseUrls, Duration connectTimeout, Duration readTimeout) {

    public HttpDependency {
        baseUrls = List.copyOf(baseUrls);
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("a dependency needs at least one base URL");
        }
    }

    public HttpDependency(URI baseUrl, Duration connectTimeout, Duration readTimeout) {
        this(List.of(baseUrl), connectTimeout, readTimeout);
    }

    /**
     * The base URLs of a {@code *.base-url} property, checked so that a typo stops the start with the property's name
     * and the entry at fault instead of surfacing as 503s at the first order.
     *
     * @param property how to name the property in an error, e.g. {@code inventory.base-url (INVENTORY_BASE_URL)}
     * @param values   the entries, as Spring splits a comma-separated value
     */
    static List<URI> baseUrls(String property, List<String> values) {
        String expected = property + " must be one or more absolute http(s) URLs separated by commas"
                + " (e.g. http://localhost:8083,http://localhost:8183)";
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(expected + ", but is empty");
        }
        List<URI> urls = new ArrayList<>();
        Map<String, URI> byInstance = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i) == null ? "" : values.get(i).trim();
            if (value.isEmpty()) {
                throw new IllegalArgumentException(expected + ", but entry " + (i + 1) + " of " + values.size() + " is empty");
            }
            URI url = absoluteHttp(value);
            if (url == null) {
                throw new IllegalArgumentException(expected + ", but entry " + (i + 1) + " is '" + value + "'");
            }
            URI same = byInstance.putIfAbsent(instanceOf(url), url);
            if (same != null) {
                // One process listed twice would get twice the share of calls and two breakers for one failure.
                throw new IllegalArgumentException(expected + ", each instance once, but " + same + " and " + url
                        + " are the same instance (" + instanceOf(url) + ")");
            }
            urls.add(url);
        }
        return List.copyOf(urls);
    }

    /** {@code host:port}, the port filled in from the scheme: how instances are told apart, in names too. */
    static String instanceOf(URI url) {
        int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return url.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static URI absoluteHttp(String value) {
        try {
            URI url = new URI(value);
            boolean http = "http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme());
            return http && url.getHost() != null ? url : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * A client for one instance with both timeouts set: without them one hung dependency would hold a request
     * thread (and the order's Idempotency-Key) indefinitely.
     */
    RestClient client(RestClient.Builder builder, URI baseUrl) {
        var requestFactory = ClientHttpRequestFactoryBuilder.jdk()
                // HTTP/1.1: the JDK client's default h2c upgrade attempt buys nothing between services.
                .withHttpClientCustomizer(http -> http.version(HttpClient.Version.HTTP_1_1))
                .build(HttpClientSettings.defaults().withTimeouts(connectTimeout, readTimeout));
        // A copy per instance: the builder carries Boot's converters and metrics, the base URL differs.
        return builder.clone().baseUrl(baseUrl.toString()).requestFactory(requestFactory).build();
    }
}
