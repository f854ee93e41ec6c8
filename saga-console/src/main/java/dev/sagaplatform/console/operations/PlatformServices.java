package dev.sagaplatform.console.operations;

import dev.sagaplatform.console.ConsoleProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.JsonNode;

/**
 * The other services' HTTP APIs the console calls: their existing operator endpoints (saga retry, dead-letter
 * replay) with the platform admin's credentials, and their metrics. No retries: an operator sees the answer and decides.
 */
@Component
public class PlatformServices {

    private final ConsoleProperties properties;
    private final RestClient http;

    PlatformServices(ConsoleProperties properties, RestClient.Builder builder) {
        this.properties = properties;
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(properties.callTimeout()).build());
        requests.setReadTimeout(properties.callTimeout());
        this.http = builder.requestFactory(requests).build();
    }

    /** Configured services by name, sorted. */
    public Map<String, URI> services() {
        return new TreeMap<>(properties.services());
    }

    public Optional<URI> url(String service) {
        return Optional.ofNullable(properties.services().get(service));
    }

    /** The answer of another service: its status and body, or why there was none. */
    public record Answer(int status, JsonNode body, String error) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public Answer getJson(String service, String path) {
        return call(service, path, null, false);
    }

    public Answer postAsAdmin(String service, String path, Object body) {
        return call(service, path, body, true);
    }

    /** {@code /actuator/prometheus} of a service, or empty if it did not answer. */
    public Optional<String> prometheus(String service) {
        URI base = properties.services().get(service);
        if (base == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(http.get().uri(base.resolve("/actuator/prometheus")).retrieve().body(String.class));
        } catch (RestClientException e) {
            return Optional.empty();
        }
    }

    private Answer call(String service, String path, Object body, boolean admin) {
        URI base = properties.services().get(service);
        if (base == null) {
            return new Answer(0, null, "console.services." + service + " is not configured");
        }
        try {
            RestClient.RequestHeadersSpec<?> request;
            if (body == null && !admin) {
                request = http.get().uri(base.resolve(path));
            } else {
                request = http.post().uri(base.resolve(path)).contentType(MediaType.APPLICATION_JSON).body(body == null ? Map.of() : body);
            }
            if (admin) {
                request.header(HttpHeaders.AUTHORIZATION, basic());
            }
            var response = request.retrieve().toEntity(JsonNode.class);
            return new Answer(response.getStatusCode().value(), response.getBody(), null);
        } catch (RestClientResponseException e) {
            JsonNode problem = null;
            try {
                problem = e.getResponseBodyAs(JsonNode.class);
            } catch (RuntimeException ignored) {
                // not JSON: the status says enough
            }
            return new Answer(e.getStatusCode().value(), problem, service + " answered " + e.getStatusCode().value());
        } catch (RestClientException e) {
            return new Answer(0, null, service + " did not answer: " + e.getMostSpecificCause().getMessage());
        }
    }

    private String basic() {
        String credentials = properties.adminUser() + ":" + (properties.hasAdminPassword() ? properties.adminPassword() : "");
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
