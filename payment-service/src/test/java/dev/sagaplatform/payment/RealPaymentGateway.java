package dev.sagaplatform.payment;

import dev.sagaplatform.testsupport.DatabaseHandle;
import dev.sagaplatform.testsupport.FreePorts;
import dev.sagaplatform.testsupport.JavaProcess;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real payment-gateway, started from its runnable jar as a child JVM on its own database, with
 * its fault controls ({@code PUT /admin/faults}) at hand: what payment-service talks to in production.
 */
final class RealPaymentGateway implements AutoCloseable {

    /** The merchant key of the payment-service contexts in these tests (src/test/resources/config/application.properties). */
    static final String MERCHANT_KEY = "test-merchant-key-0123456789";

    private static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);

    private final JavaProcess process;
    private final URI baseUrl;
    private final String adminAuthorization;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private RealPaymentGateway(JavaProcess process, URI baseUrl, String adminPassword) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.adminAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
    }

    static RealPaymentGateway start() {
        Path jar = Path.of(System.getProperty("payment-gateway.jar",
                "../payment-gateway/target/payment-gateway-0.1.0-SNAPSHOT-exec.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the payment-gateway's runnable jar is missing at " + jar.toAbsolutePath()
                    + ": build it first with ./mvnw -B -pl payment-gateway -am install -DskipTests "
                    + "(a full ./mvnw -B verify builds it before this module)");
        }
        DatabaseHandle database = TestInfrastructure.get().postgres().createDatabase("payment_gateway");
        int port = FreePorts.find();
        String adminPassword = UUID.randomUUID().toString();
        JavaProcess process = JavaProcess.builder(JAR_LAUNCHER)
                .classpath(jar.toAbsolutePath().toString())
                .args("--server.port=" + port,
                        "--spring.datasource.url=" + database.jdbcUrl(),
                        "--spring.datasource.username=" + database.username(),
                        "--spring.datasource.password=" + database.password(),
                        "--platform.admin.user=admin",
                        "--platform.admin.password=" + adminPassword,
                        "--gateway.merchant-api-key=" + MERCHANT_KEY)
                .xmx("256m")
                .jvmArgs("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k")
                .logFile(Path.of("target", "payment-gateway.log"))
                .start();
        RealPaymentGateway gateway = new RealPaymentGateway(process, URI.create("http://127.0.0.1:" + port), adminPassword);
        gateway.awaitReady();
        gateway.warmUp();
        return gateway;
    }

    String baseUrl() {
        return baseUrl.toString();
    }

    /** {@code PUT /admin/faults} with the given JSON (fields left out keep their value). */
    void faults(String json) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(baseUrl.resolve("/admin/faults"))
                .header("Authorization", adminAuthorization).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("PUT /admin/faults answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** {@code DELETE /admin/faults}: healthy again; hung requests carry on. */
    void heal() {
        send(HttpRequest.newBuilder(baseUrl.resolve("/admin/faults")).header("Authorization", adminAuthorization).DELETE());
    }

    /** A counter of the gateway's own metrics, e.g. {@code gateway_faults_injected_total{fault="error"}}; 0 if absent. */
    double metric(String nameAndLabels) {
        String body = send(HttpRequest.newBuilder(baseUrl.resolve("/actuator/prometheus")).GET()).body();
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + " (\\S+)$").matcher(body);
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }

    /** How many charges the gateway holds for the order (0 or 1: its key makes a charge unique). */
    int chargesOf(UUID orderId) {
        String body = send(HttpRequest.newBuilder(baseUrl.resolve("/charges?orderId=" + orderId)).header("Authorization", "Bearer " + MERCHANT_KEY).GET()).body();
        Matcher total = Pattern.compile("\"totalElements\":(\\d+)").matcher(body);
        return total.find() ? Integer.parseInt(total.group(1)) : 0;
    }

    /**
     * A few charges and refunds straight over HTTP, so that a test's first call through the client does not
     * meet a cold JVM (class loading, first JIT) and run into its time limit.
     */
    private void warmUp() {
        for (int i = 0; i < 5; i++) {
            UUID orderId = UUID.randomUUID();
            post("/charges", "{\"idempotencyKey\":\"warm-" + orderId + "\",\"orderId\":\"" + orderId
                    + "\",\"customerId\":\"warm-up\",\"amount\":1.00}");
            post("/refunds", "{\"idempotencyKey\":\"warm-refund-" + orderId + "\",\"chargeIdempotencyKey\":\"warm-"
                    + orderId + "\",\"amount\":1.00}");
        }
    }

    private void post(String path, String json) {
        send(HttpRequest.newBuilder(baseUrl.resolve(path)).header("Content-Type", "application/json").header("Authorization", "Bearer " + MERCHANT_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("payment-gateway exited during start-up:\n" + process.tailLog(40));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(baseUrl.resolve("/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("payment-gateway not ready within " + READY_TIMEOUT + ":\n" + process.tailLog(40));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.stop();
        }
    }
}
