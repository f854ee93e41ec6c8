package dev.sagaplatform.web.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.web.paging.Paging;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.web.PagedModel;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A minimal web app with platform-web and nothing of its own, called over real HTTP. */
class WebConventionsTest {

    private static final String PROBLEMS = "https://saga-platform.dev/problems/";
    private static ConfigurableApplicationContext app;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void start() {
        app = SpringApplication.run(ThingsApplication.class, "--server.port=0", "--platform.admin.password=s3cret");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aKnownBodyIsRead() throws Exception {
        HttpResponse<String> response = post("{\"name\":\"a\",\"count\":2}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("a x 2");
    }

    @Test
    void anUnknownFieldIsRefusedNamingIt() throws Exception {
        JsonNode problem = problem(post("{\"name\":\"a\",\"count\":2,\"cuont\":2}"), 400, "unknown-field");
        assertThat(problem.get("field").stringValue()).isEqualTo("cuont");
    }

    @Test
    void somethingAfterTheJsonValueOrARepeatedFieldIsMalformed() throws Exception {
        problem(post("{\"name\":\"a\",\"count\":2} {}"), 400, "malformed-json");
        problem(post("{\"name\":\"a\",\"name\":\"b\"}"), 400, "malformed-json");
        problem(post("{\"name\":"), 400, "malformed-json");
    }

    @Test
    void aFieldOfTheWrongTypeIsAnInvalidField() throws Exception {
        JsonNode problem = problem(post("{\"name\":\"a\",\"count\":\"many\"}"), 400, "invalid-field");
        assertThat(problem.get("errors").get(0).get("field").stringValue()).isEqualTo("count");
    }

    @Test
    void aBodyAboveTheLimitIsA413WhetherDeclaredOrChunked() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(64 * 1024) + "\"}";
        JsonNode declared = problem(post(big), 413, "payload-too-large");
        assertThat(declared.get("maxBytes").asLong()).isEqualTo(65536);

        HttpRequest chunked = request("/things").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build();
        problem(http.send(chunked, HttpResponse.BodyHandlers.ofString()), 413, "payload-too-large");
    }

    @Test
    void listsAnswerSpringDataPagesAndRefuseASizeAboveTheMaximum() throws Exception {
        HttpResponse<String> page = get("/things?page=1&size=2");
        assertThat(page.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(page.body());
        assertThat(body.get("content").toString()).isEqualTo("[\"t2\",\"t3\"]");
        assertThat(body.get("page").toString()).isEqualTo("{\"size\":2,\"number\":1,\"totalElements\":5,\"totalPages\":3}");

        assertThat(problem(get("/things?size=501"), 400, "invalid-parameter").get("parameter").stringValue()).isEqualTo("size");
        assertThat(problem(get("/things?page=-1"), 400, "invalid-parameter").get("parameter").stringValue()).isEqualTo("page");
        problem(get("/things?page=x"), 400, "invalid-parameter");
    }

    @Test
    void springsOwnFailuresGetStableTypes() throws Exception {
        problem(get("/nowhere"), 404, "not-found");
        problem(http.send(request("/things").DELETE().build(), HttpResponse.BodyHandlers.ofString()), 405, "method-not-allowed");
        problem(http.send(request("/things").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hi")).build(), HttpResponse.BodyHandlers.ofString()), 415, "unsupported-media-type");
    }

    @Test
    void anUnreachableDatabaseIsA503WithRetryAfterAndAnythingUnexpectedALogged500() throws Exception {
        HttpResponse<String> database = get("/database");
        assertThat(problem(database, 503, "dependency-unavailable").get("dependency").stringValue()).isEqualTo("database");
        assertThat(database.headers().firstValue("Retry-After")).hasValue("5");

        problem(get("/boom"), 500, "internal-error");
    }

    private JsonNode problem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("type").stringValue()).as(response.body()).isEqualTo(PROBLEMS + type);
        assertThat(problem.get("status").intValue()).isEqualTo(status);
        assertThat(problem.get("title").stringValue()).isNotBlank();
        return problem;
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return http.send(request("/things").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    @SpringBootApplication
    @RestController
    static class ThingsApplication {

        record Thing(String name, int count) {
        }

        @PostMapping(path = "/things", consumes = "application/json")
        String create(@RequestBody Thing thing) {
            return thing.name() + " x " + thing.count();
        }

        @GetMapping("/things")
        PagedModel<String> list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
            var pageable = Paging.pageable(page, size);
            List<String> all = IntStream.range(0, 5).mapToObj(i -> "t" + i).toList();
            int from = (int) Math.min(pageable.getOffset(), all.size());
            return Paging.of(all.subList(from, Math.min(from + size, all.size())), pageable, all.size());
        }

        @GetMapping("/database")
        String database() {
            throw new CannotCreateTransactionException("Could not open JDBC Connection for transaction");
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("a bug");
        }
    }
}
