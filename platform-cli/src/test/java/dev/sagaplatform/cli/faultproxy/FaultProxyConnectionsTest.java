package dev.sagaplatform.cli.faultproxy;

import static dev.sagaplatform.cli.faultproxy.ProxyFixture.SAFETY_TIMEOUT_MILLIS;
import static dev.sagaplatform.cli.faultproxy.ProxyFixture.echoed;
import static dev.sagaplatform.cli.faultproxy.ProxyFixture.millisSince;
import static dev.sagaplatform.cli.faultproxy.ProxyFixture.readUntil;
import static dev.sagaplatform.cli.faultproxy.ProxyFixture.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real TCP traffic through the proxy to a real echo server, with and without toxics. Durations are only ever lower bounds. */
class FaultProxyConnectionsTest {

    private ProxyFixture fixture;
    private FaultProxyClient client;

    @BeforeEach
    void start() throws IOException {
        fixture = new ProxyFixture();
        client = fixture.client;
    }

    @AfterEach
    void stop() throws IOException {
        fixture.close();
    }

    @Test
    void passesDataBothWaysUnchanged() throws Exception {
        ProxyInfo proxy = fixture.echoProxy("echo");
        assertThat(proxy.listen()).startsWith("127.0.0.1:").doesNotEndWith(":0");

        try (Socket socket = fixture.connect(proxy)) {
            assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
            // Several 32 KiB chunks each way.
            byte[] payload = randomBytes(300_000);
            assertThat(echoed(socket, payload)).isEqualTo(payload);
        }
    }

    @Test
    void passesOnTheClientsHalfCloseAndStillDeliversTheAnswer() throws Exception {
        try (Socket socket = fixture.connect(fixture.echoProxy("echo"))) {
            socket.getOutputStream().write("last words".getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();

            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("last words");
        }
    }

    @Test
    void latencyDelaysALiveConnection() throws Exception {
        try (Socket socket = fixture.connect(fixture.echoProxy("echo"))) {
            assertThat(roundTrip(socket, "before")).isEqualTo("before");

            client.addToxic("echo", Toxic.latency(300, 0));
            long start = System.nanoTime();
            assertThat(roundTrip(socket, "after")).isEqualTo("after");
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void latencyOnTheUpstreamDelaysWhatTheClientSends() throws Exception {
        client.createProxy("echo", "127.0.0.1:0", fixture.echo.address());
        client.addToxic("echo", Toxic.latency(200, 0).upstream());
        try (Socket socket = fixture.connect(client.proxy("echo"))) {
            long start = System.nanoTime();
            assertThat(roundTrip(socket, "ping")).isEqualTo("ping");
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(200);
        }
    }

    @Test
    void latencyKeepsAMultiChunkBurstWholeAndInOrder() throws Exception {
        try (Socket socket = fixture.connect(fixture.echoProxy("echo"))) {
            client.addToxic("echo", Toxic.latency(100, 0));
            byte[] payload = randomBytes(10 * ToxicPipe.CHUNK_SIZE);
            long start = System.nanoTime();

            assertThat(echoed(socket, payload)).isEqualTo(payload);
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(100);
        }
    }

    @Test
    void timeoutStopsDataAndClosesTheConnectionAfterTheTimeout() throws Exception {
        try (Socket socket = fixture.connect(fixture.echoProxy("echo"))) {
            assertThat(roundTrip(socket, "before")).isEqualTo("before");

            long start = System.nanoTime();
            client.addToxic("echo", Toxic.timeout(300));
            socket.getOutputStream().write("swallowed".getBytes(StandardCharsets.UTF_8));

            assertThat(socket.getInputStream().read()).as("nothing gets through, then the connection closes").isEqualTo(-1);
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void removingAToxicRestoresTrafficOnALiveConnection() throws Exception {
        try (Socket socket = fixture.connect(fixture.echoProxy("echo"))) {
            client.addToxic("echo", Toxic.timeout(0).named("blackhole"));
            socket.getOutputStream().write("lost".getBytes(StandardCharsets.UTF_8));
            socket.setSoTimeout(200);
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            client.removeToxic("echo", "blackhole");
            socket.setSoTimeout(SAFETY_TIMEOUT_MILLIS);
            socket.getOutputStream().write("back".getBytes(StandardCharsets.UTF_8));

            assertThat(readUntil(socket, "back")).endsWith("back");
        }
    }

    @Test
    void resetPeerResetsTheClientsConnection() throws Exception {
        client.createProxy("echo", "127.0.0.1:0", fixture.echo.address());
        client.addToxic("echo", Toxic.resetPeer(0));
        try (Socket socket = fixture.connect(client.proxy("echo"))) {
            socket.getOutputStream().write("anyone there?".getBytes(StandardCharsets.UTF_8));

            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
        }
    }

    @Test
    void disablingRefusesNewConnectionsAndCutsLiveOnesAndEnablingRestoresTheSameAddress() throws Exception {
        ProxyInfo proxy = fixture.echoProxy("echo");
        try (Socket live = fixture.connect(proxy)) {
            assertThat(roundTrip(live, "up")).isEqualTo("up");

            ProxyInfo disabled = client.setEnabled("echo", false);
            assertThat(disabled.enabled()).isFalse();
            assertCut(live);
            assertThatThrownBy(() -> fixture.connect(proxy)).isInstanceOf(ConnectException.class);

            ProxyInfo enabled = client.setEnabled("echo", true);
            assertThat(enabled.enabled()).isTrue();
            assertThat(enabled.listen()).isEqualTo(proxy.listen());
            try (Socket again = fixture.connect(enabled)) {
                assertThat(roundTrip(again, "up again")).isEqualTo("up again");
            }
        }
    }

    @Test
    void aProxyCanBeCutAndRestoredAgainAndAgainOnTheSamePort() throws Exception {
        ProxyInfo proxy = fixture.echoProxy("echo");
        for (int round = 0; round < 10; round++) {
            try (Socket live = fixture.connect(proxy)) {
                assertThat(roundTrip(live, "round " + round)).isEqualTo("round " + round);
                client.setEnabled("echo", false);
                assertCut(live);
            }
            assertThat(client.setEnabled("echo", true).listen()).isEqualTo(proxy.listen());
        }
    }

    @Test
    void limitDataClosesTheConnectionAfterThatManyBytes() throws Exception {
        fixture.echoProxy("echo");
        client.addToxic("echo", Toxic.limitData(10));
        try (Socket socket = fixture.connect(client.proxy("echo"))) {
            socket.getOutputStream().write("0123456789abcdefghij".getBytes(StandardCharsets.UTF_8));

            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("0123456789");
        }
    }

    @Test
    void bandwidthLimitsTheRate() throws Exception {
        fixture.echoProxy("echo");
        client.addToxic("echo", Toxic.bandwidth(100)); // 100 KB/s: 50 000 bytes take at least 500 ms
        try (Socket socket = fixture.connect(client.proxy("echo"))) {
            byte[] payload = randomBytes(50_000);
            long start = System.nanoTime();

            assertThat(echoed(socket, payload)).isEqualTo(payload);
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void slicerCutsDataUpWithoutChangingIt() throws Exception {
        fixture.echoProxy("echo");
        client.addToxic("echo", Toxic.slicer(100, 30, 10));
        try (Socket socket = fixture.connect(client.proxy("echo"))) {
            byte[] payload = randomBytes(5_000);
            assertThat(echoed(socket, payload)).isEqualTo(payload);
        }
    }

    @Test
    void slowCloseDelaysTheEndOfTheStream() throws Exception {
        fixture.echoProxy("echo");
        client.addToxic("echo", Toxic.slowClose(300));
        try (Socket socket = fixture.connect(client.proxy("echo"))) {
            socket.getOutputStream().write("bye".getBytes(StandardCharsets.UTF_8));
            long start = System.nanoTime();
            socket.shutdownOutput();

            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bye");
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void aToxicWithToxicityZeroNeverApplies() throws Exception {
        fixture.echoProxy("echo");
        client.addToxic("echo", Toxic.timeout(0).withToxicity(0));
        try (Socket socket = fixture.connect(client.proxy("echo"))) {
            assertThat(roundTrip(socket, "through")).isEqualTo("through");
        }
    }

    @Test
    void aClientOfAnUnreachableUpstreamIsDisconnectedAndTheOutageReportedOnce() throws Exception {
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
        ProxyInfo proxy = client.createProxy("nowhere", "127.0.0.1:0", "127.0.0.1:" + closedPort);

        for (int attempt = 0; attempt < 2; attempt++) {
            try (Socket socket = fixture.connect(proxy)) {
                assertCut(socket);
            }
        }
        assertThat(fixture.events).filteredOn(line -> line.contains("unreachable"))
                .containsExactly("proxy nowhere: upstream 127.0.0.1:" + closedPort
                        + " unreachable (Connection refused); clients are disconnected until it answers");
    }

    @Test
    void slicerPiecesAddUpToTheChunkAndStayNearTheAverage() {
        assertThat(Slicer.sizes(ToxicPipe.CHUNK_SIZE, 100, 20)).allSatisfy(size -> assertThat(size).isBetween(1, 120))
                .satisfies(sizes -> assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(ToxicPipe.CHUNK_SIZE));
        assertThat(Slicer.sizes(5, 0, 0)).containsExactly(1, 1, 1, 1, 1);
        assertThat(Slicer.sizes(7, 1, 100)).containsExactly(7);
    }

    /** The connection was closed (end of stream) or reset under the client. */
    private static void assertCut(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            assertThat(in.read()).isEqualTo(-1);
        }
        catch (SocketException reset) {
            assertThat(reset).hasMessageContaining("reset");
        }
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
