package dev.sagaplatform.cli.faultproxy;

import static dev.sagaplatform.cli.faultproxy.ProxyFixture.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagaplatform.testsupport.RealInfrastructure;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault proxy as its own process: arguments, the admin credentials from the environment, the -config file, SIGTERM. */
class FaultProxyMainTest {

    private static final Map<String, String> ENVIRONMENT = Map.of(FaultProxyMain.PASSWORD_ENV, "pw");

    @TempDir
    Path temp;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

    @Test
    void refusesToStartWithoutTheAdminPassword() {
        assertThatThrownBy(() -> FaultProxyMain.start(new String[] {"--port", "0"}, Map.of(FaultProxyMain.USER_ENV, "admin"), out))
                .isInstanceOf(FaultProxyMain.StartException.class)
                .hasMessageContaining("PLATFORM_ADMIN_PASSWORD is not set");
        assertThatThrownBy(() -> FaultProxyMain.start(new String[] {"--port", "0"}, Map.of(FaultProxyMain.PASSWORD_ENV, " "), out))
                .hasMessageContaining("PLATFORM_ADMIN_PASSWORD is not set");
    }

    @Test
    void refusesUnknownOptionsAndBadPorts() throws Exception {
        assertThatThrownBy(() -> FaultProxyMain.parse(new String[] {"--listen", "x"})).hasMessageContaining("unknown option --listen");
        assertThatThrownBy(() -> FaultProxyMain.parse(new String[] {"--port", "99999"})).hasMessageContaining("--port 99999");
        assertThatThrownBy(() -> FaultProxyMain.parse(new String[] {"--config"})).hasMessageContaining("--config needs a value");
        assertThat(FaultProxyMain.parse(new String[0]))
                .isEqualTo(new FaultProxyMain.Options("127.0.0.1", 8474, null, false));
        assertThat(FaultProxyMain.parse(new String[] {"--host=0.0.0.0", "--port=9000", "--config", "proxies.json"}))
                .isEqualTo(new FaultProxyMain.Options("0.0.0.0", 9000, Path.of("proxies.json"), false));
    }

    @Test
    void createsTheConfiguredProxiesAndLogsEveryChange() throws Exception {
        try (EchoServer echo = new EchoServer()) {
            Path config = Files.writeString(temp.resolve("proxies.json"),
                    "[{\"name\": \"echo\", \"listen\": \"127.0.0.1:0\", \"upstream\": \"" + echo.address() + "\"}]");

            try (FaultProxyServer server = FaultProxyMain.start(new String[] {"--port", "0", "--config", config.toString()}, ENVIRONMENT, out)) {
                FaultProxyClient client = new FaultProxyClient(server.uri(), "admin", "pw");
                try (Socket socket = new Socket()) {
                    socket.connect(ProxyFixture.address(client.proxy("echo").listen()));
                    socket.setSoTimeout(ProxyFixture.SAFETY_TIMEOUT_MILLIS);
                    assertThat(roundTrip(socket, "configured")).isEqualTo("configured");
                }
                client.addToxic("echo", Toxic.latency(10, 0));
                client.removeToxic("echo", "latency_downstream");
            }
        }

        List<String> log = output.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(log.get(0)).as("the configured proxies listen before the API").startsWith("proxy echo: created, listening on 127.0.0.1:");
        assertThat(log.get(1)).startsWith("fault proxy API (Toxiproxy-compatible) listening on http://127.0.0.1:");
        assertThat(log)
                .anyMatch(line -> line.startsWith("proxy echo: toxic latency_downstream (latency downstream") && line.endsWith(" added"))
                .anyMatch(line -> line.equals("proxy echo: toxic latency_downstream removed"));
    }

    @Test
    void aBrokenConfigurationStopsTheStart() throws Exception {
        Path notAnArray = Files.writeString(temp.resolve("object.json"), "{\"name\": \"echo\"}");
        Path noUpstream = Files.writeString(temp.resolve("no-upstream.json"), "[{\"name\": \"echo\"}]");

        assertThatThrownBy(() -> FaultProxyMain.start(new String[] {"--port", "0", "--config", notAnArray.toString()}, ENVIRONMENT, out))
                .hasMessageContaining("expected a JSON array of proxies");
        assertThatThrownBy(() -> FaultProxyMain.start(new String[] {"--port", "0", "--config", noUpstream.toString()}, ENVIRONMENT, out))
                .hasMessageContaining("missing required field: upstream at proxy 1");
        assertThatThrownBy(() -> FaultProxyMain.start(new String[] {"--port", "0", "--config", temp.resolve("none.json").toString()},
                ENVIRONMENT, out)).hasMessageContaining("could not read the proxy configuration");
    }

    @Test
    @Tag(RealInfrastructure.TAG)
    void stopsCleanlyOnSigterm() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                FaultProxyMain.class.getName(), "--port", "0").redirectErrorStream(true);
        builder.environment().put(FaultProxyMain.PASSWORD_ENV, "pw");
        Process process = builder.start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String first = lines.readLine();
            Matcher started = Pattern.compile("listening on (http://\\S+),").matcher(String.valueOf(first));
            assertThat(started.find()).as("first line: %s", first).isTrue();
            URI api = URI.create(started.group(1));
            assertThat(new FaultProxyClient(api, "admin", "pw").version()).isEqualTo(FaultProxyServer.VERSION);

            process.toHandle().destroy(); // SIGTERM (Process.destroy() would also close our end of its output)

            List<String> rest = new ArrayList<>();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                rest.add(line);
            }
            // A safety net, not a speed requirement: a JVM that ignored SIGTERM would otherwise hang the build.
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(rest).containsExactly("fault proxy stopped");
            assertThatThrownBy(() -> new Socket(api.getHost(), api.getPort()).close()).isInstanceOf(ConnectException.class);
        }
        finally {
            process.destroyForcibly();
        }
    }
}
