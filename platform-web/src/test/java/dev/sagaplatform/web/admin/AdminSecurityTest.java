package dev.sagaplatform.web.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A minimal web app with one admin endpoint, started on a random port and called over real HTTP. */
@ExtendWith(OutputCaptureExtension.class)
class AdminSecurityTest {

    private static ConfigurableApplicationContext app;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startWithAConfiguredPassword() {
        app = start("ops", "s3cret");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void anAdminEndpointWithoutCredentialsIsA401Problem() throws Exception {
        HttpResponse<String> response = send(app, "PUT", "/things/a%20b", null);

        assertUnauthorized(response, "/things/a%20b");
        assertThat(json.readTree(response.body()).get("detail").stringValue())
                .startsWith("this endpoint needs").contains("PLATFORM_ADMIN_USER / PLATFORM_ADMIN_PASSWORD");
    }

    @Test
    void wrongCredentialsAreA401ProblemToo() throws Exception {
        HttpResponse<String> wrongPassword = send(app, "PUT", "/things/1", basic("ops", "guess"));

        assertUnauthorized(wrongPassword, "/things/1");
        assertThat(json.readTree(wrongPassword.body()).get("detail").stringValue()).startsWith("the credentials were not accepted");
        assertUnauthorized(send(app, "PUT", "/things/1", basic("admin", "s3cret")), "/things/1");
    }

    @Test
    void theAdminCredentialsGoThrough() throws Exception {
        HttpResponse<String> response = send(app, "PUT", "/things/1", basic("ops", "s3cret"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("changed 1 by ops");
        assertThat(response.headers().firstValue("Set-Cookie")).as("stateless: no session").isEmpty();
    }

    @Test
    void everyAdminPathNeedsTheAdminWithoutBeingNamed() throws Exception {
        assertUnauthorized(send(app, "GET", "/admin/ping", null), "/admin/ping");
        assertUnauthorized(send(app, "POST", "/admin/ping", basic("ops", "guess")), "/admin/ping");

        HttpResponse<String> admin = send(app, "GET", "/admin/ping", basic("ops", "s3cret"));
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).isEqualTo("pong for ops");
    }

    @Test
    void withoutAdminEndpointsOnlyAdminPathsAreProtectedInARealmNamedAfterTheApplication() throws Exception {
        try (var bare = SpringApplication.run(ThingsApplication.class, "--server.port=0", "--things.admin-endpoints=false",
                "--spring.application.name=bare-service", "--platform.admin.user=ops", "--platform.admin.password=s3cret")) {
            HttpResponse<String> unauthorized = send(bare, "GET", "/admin/ping", null);
            assertThat(unauthorized.statusCode()).isEqualTo(401);
            assertThat(unauthorized.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"bare-service admin\"");
            assertThat(json.readTree(unauthorized.body()).get("type").stringValue()).isEqualTo("https://saga-platform.dev/problems/unauthorized");

            assertThat(send(bare, "GET", "/admin/ping", basic("ops", "s3cret")).statusCode()).isEqualTo(200);
            HttpResponse<String> open = send(bare, "PUT", "/things/1", null);
            assertThat(open.statusCode()).as("named by no one, so open").isEqualTo(200);
            assertThat(open.body()).isEqualTo("changed 1 by anyone");
        }
    }

    @Test
    void everythingNotNamedIsOpen() throws Exception {
        assertThat(send(app, "GET", "/things/1", null).statusCode()).as("same path, other method").isEqualTo(200);
        assertThat(send(app, "GET", "/open", null).statusCode()).isEqualTo(200);
        assertThat(send(app, "GET", "/nowhere", null).statusCode()).as("no login demanded for a 404").isEqualTo(404);
    }

    @Test
    void aBlankPasswordIsReplacedByAGeneratedOneLoggedOnceAtWarn(CapturedOutput output) throws Exception {
        try (var generated = start("admin", " ")) {
            Matcher logged = Pattern.compile("WARN.*generated admin password for user 'admin': (\\S+)").matcher(output.getOut());
            assertThat(logged.find()).as(output.getOut()).isTrue();
            String password = logged.group(1);
            assertThat(logged.find()).as("logged once").isFalse();
            assertThat(password).hasSizeGreaterThanOrEqualTo(20);

            assertThat(send(generated, "PUT", "/things/1", basic("admin", password)).statusCode()).isEqualTo(200);
            assertUnauthorized(send(generated, "PUT", "/things/1", basic("admin", " ")), "/things/1");
            assertThat(output.getOut()).as("Spring Boot's default user is never created")
                    .doesNotContain("Using generated security password");
        }
    }

    private void assertUnauthorized(HttpResponse<String> response, String path) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"things admin\"");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("type").stringValue()).isEqualTo("https://saga-platform.dev/problems/unauthorized");
        assertThat(problem.get("title").stringValue()).isEqualTo("Unauthorized");
        assertThat(problem.get("status").intValue()).isEqualTo(401);
        assertThat(problem.get("detail").stringValue()).contains("PLATFORM_ADMIN_USER / PLATFORM_ADMIN_PASSWORD");
        assertThat(problem.get("instance").stringValue()).isEqualTo(path);
    }

    private static ConfigurableApplicationContext start(String user, String password) {
        return SpringApplication.run(ThingsApplication.class, "--server.port=0",
                "--platform.admin.user=" + user, "--platform.admin.password=" + password);
    }

    private HttpResponse<String> send(ConfigurableApplicationContext target, String method, String path, String authorization)
            throws IOException, InterruptedException {
        int port = ((WebServerApplicationContext) target).getWebServer().getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @SpringBootApplication
    @RestController
    static class ThingsApplication {

        @Bean
        @ConditionalOnProperty(name = "things.admin-endpoints", matchIfMissing = true)
        AdminEndpoints adminEndpoints() {
            return AdminEndpoints.realm("things admin").method(HttpMethod.PUT, "/things/*");
        }

        @GetMapping("/things/{id}")
        String read(@PathVariable String id) {
            return "thing " + id;
        }

        @PutMapping("/things/{id}")
        String change(@PathVariable String id, java.security.Principal admin) {
            return "changed " + id + " by " + (admin == null ? "anyone" : admin.getName());
        }

        @RequestMapping("/admin/ping")
        String ping(java.security.Principal admin) {
            return "pong for " + admin.getName();
        }

        @GetMapping("/open")
        String open() {
            return "open";
        }
    }
}
