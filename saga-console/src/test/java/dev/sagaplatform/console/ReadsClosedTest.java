package dev.sagaplatform.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.testsupport.RealInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code console.reads-open=false}, as in Kubernetes: the read API needs the admin too; the probes stay open. */
@RealInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.admin.user=operator",
        "platform.admin.password=console-secret",
        "console.consumer-group=saga-console-closed",
        "console.reads-open=false"})
class ReadsClosedTest {

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readsNeedTheAdminWhenClosed() throws Exception {
        assertThat(get("/api/orders", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/dead-letters", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/orders", "operator:wrong").statusCode()).isEqualTo(401);
        assertThat(get("/api/orders", "operator:console-secret").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
