package dev.sagaplatform.localservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagaplatform.contracts.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's definition without starting one; KafkaBrokerProcessTest and the CLI's LocalServersTest start it. */
class KraftBrokerTest {

    @Test
    void isOneKraftNodeOnLoopbackWhoseTopicsGetTheSagaTopicsPartitions() {
        Properties properties = KraftBroker.serverProperties(Path.of("/data/kafka-logs"), 19092, 19093);

        assertThat(properties).containsEntry("process.roles", "broker,controller")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:19093")
                .containsEntry("log.dirs", Path.of("/data/kafka-logs").toString())
                .containsEntry("num.partitions", String.valueOf(Topics.PARTITIONS));
    }

    @Test
    void storageIsFormattedOnceUnderANewClusterId(@TempDir Path logDir) throws IOException {
        assertThat(KraftBroker.isFormatted(logDir)).isFalse();
        Files.writeString(logDir.resolve("meta.properties"), "node.id=1\n");
        assertThat(KraftBroker.isFormatted(logDir)).isTrue();

        assertThat(KraftBroker.formatArguments(Path.of("server.properties")))
                .startsWith("format", "-t").endsWith("-c", "server.properties", "--ignore-formatted")
                .isNotEqualTo(KraftBroker.formatArguments(Path.of("server.properties")));
    }

    @Test
    void waitingStopsWhenTheProcessExits() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        int port = closed;

        assertThat(KraftBroker.answers(port)).isFalse();
        assertThatThrownBy(() -> KraftBroker.awaitReady(port, Duration.ofSeconds(30), () -> false))
                .isInstanceOf(KraftBroker.NotReady.class).hasMessage("exited during start-up");
        assertThatThrownBy(() -> KraftBroker.awaitReady(port, Duration.ZERO, () -> true))
                .isInstanceOf(KraftBroker.NotReady.class).hasMessage("did not answer within 0 s");
    }
}
