package dev.sagaplatform.web.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP endpoints docs/design.md's "Public contract" promises, one table per service ({@code #### <service>}, then
 * {@code | method | path | answers | access |}), and the check that a service's OpenAPI description ({@code /v3/api-docs})
 * says the same: every documented operation exists with every documented status and the documented access, and every
 * operation the service serves is documented. Path variable names are not compared ({@code {id}} vs {@code {orderId}}).
 */
public final class PublicContract {

    public record Operation(String method, String path, Set<String> statuses, String access) {

        String key() {
            return method + " " + normalize(path);
        }
    }

    private static final Pattern ROW = Pattern.compile(
            "^\\|\\s*`([A-Z]+)`\\s*\\|\\s*`([^`]+)`\\s*\\|([^|]*)\\|\\s*([a-z ]+?)\\s*\\|\\s*$");
    private static final Pattern STATUS = Pattern.compile("`(\\d{3})`");

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    private PublicContract() {
    }

    /** The operations of {@code service}'s table in docs/design.md, in the table's order. */
    public static List<Operation> of(String service) {
        return of(service, designDocument());
    }

    static List<Operation> of(String service, String markdown) {
        List<Operation> operations = new ArrayList<>();
        boolean inSection = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("#")) {
                inSection = line.strip().equals("#### " + service);
                continue;
            }
            if (!inSection) {
                continue;
            }
            if (line.isBlank() && !operations.isEmpty()) {
                break;
            }
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                Set<String> statuses = new TreeSet<>();
                Matcher status = STATUS.matcher(row.group(3));
                while (status.find()) {
                    statuses.add(status.group(1));
                }
                operations.add(new Operation(row.group(1), row.group(2), statuses, row.group(4)));
            }
        }
        return operations;
    }

    /** GET {@code path} on a service at {@code localhost:port}, no credentials; status and body. */
    public static java.net.http.HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The whole check for a running service: {@code /v3/api-docs} and Swagger UI answer without credentials, an admin
     * endpoint still wants them, and the description matches the design's table.
     */
    public static void assertServiceMatchesDesign(String service, int port) {
        var docs = get(port, "/v3/api-docs");
        assertThat(docs.statusCode()).as(docs.body()).isEqualTo(200);
        assertThat(get(port, "/swagger-ui/index.html").statusCode()).isEqualTo(200);
        of(service).stream().filter(operation -> operation.access().equals("admin") && operation.method().equals("GET"))
                .findFirst().ifPresent(admin ->
                        assertThat(get(port, admin.path()).statusCode()).as("GET %s without credentials", admin.path()).isEqualTo(401));
        assertDescribedBy(service, tools.jackson.databind.json.JsonMapper.builder().build().readTree(docs.body()));
    }

    /** Fails, naming every difference, unless {@code apiDocs} (a service's {@code /v3/api-docs}) matches the design's table. */
    public static void assertDescribedBy(String service, JsonNode apiDocs) {
        Map<String, Operation> documented = new LinkedHashMap<>();
        of(service).forEach(operation -> documented.put(operation.key(), operation));
        assertThat(documented).as("docs/design.md has no endpoint table '#### %s'", service).isNotEmpty();

        Map<String, Operation> served = served(apiDocs);
        List<String> differences = new ArrayList<>();
        served.keySet().stream().filter(key -> !documented.containsKey(key))
                .forEach(key -> differences.add(key + ": served but not in docs/design.md's table for " + service));
        documented.forEach((key, promised) -> {
            Operation actual = served.get(key);
            if (actual == null) {
                differences.add(key + ": in docs/design.md but not served (not in /v3/api-docs)");
                return;
            }
            Set<String> missing = new TreeSet<>(promised.statuses());
            missing.removeAll(actual.statuses());
            if (!missing.isEmpty()) {
                differences.add(key + ": documented statuses " + missing + " are not in the description, which has " + actual.statuses());
            }
            if (!promised.access().equals(actual.access())) {
                differences.add(key + ": documented access '" + promised.access() + "', the description says '" + actual.access() + "'");
            }
        });
        assertThat(differences).as("%s's /v3/api-docs against docs/design.md", service).isEmpty();
    }

    static Map<String, Operation> served(JsonNode apiDocs) {
        Map<String, Operation> served = new LinkedHashMap<>();
        apiDocs.path("paths").properties().forEach(path -> path.getValue().properties().forEach(entry -> {
            JsonNode operation = entry.getValue();
            if (!operation.isObject() || !operation.has("responses")) {
                return;
            }
            Set<String> statuses = new TreeSet<>(operation.path("responses").propertyNames());
            Set<String> schemes = new TreeSet<>();
            operation.path("security").forEach(requirement -> schemes.addAll(requirement.propertyNames()));
            String access = schemes.contains(OpenApiAutoConfiguration.ADMIN_SCHEME) ? "admin"
                    : schemes.contains("merchant-key") ? "merchant key" : schemes.isEmpty() ? "open" : String.join(",", schemes);
            Operation op = new Operation(entry.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(), statuses, access);
            served.put(op.key(), op);
        }));
        return served;
    }

    private static String normalize(String path) {
        return path.replaceAll("\\{[^}]*}", "{}");
    }

    /** docs/design.md, found from the working directory upwards (a module's folder when Maven runs its tests). */
    static String designDocument() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path design = dir.resolve("docs/design.md");
            if (Files.isRegularFile(design) && Files.isRegularFile(dir.resolve("mvnw"))) {
                try {
                    return Files.readString(design);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no docs/design.md above " + Path.of("").toAbsolutePath());
    }
}
