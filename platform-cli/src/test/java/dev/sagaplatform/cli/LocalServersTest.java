package dev.sagaplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.testsupport.RealInfrastructure;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real servers the platform starts: detached processes found again through their pid files. */
class LocalServersTest {

    @TempDir
    Path temp;

    @Test
    @Tag(RealInfrastructure.TAG)
    void postgresAndKafkaRunAsDetachedProcessesAndStopByPidFile() throws Exception {
        RunFolder folder = new RunFolder(temp, Map.of());
        folder.create();
        ProcessControl processes = new ProcessControl(folder);

        int postgresPort = freePort();
        LocalPostgres postgres = new LocalPostgres(folder, processes, null);
        long postgresPid = postgres.start(postgresPort);
        postgres.awaitReadyAndPrepare(postgresPid, postgresPort, List.of(Component.ORDER, Component.PAYMENT_GATEWAY),
                folder.databasePasswords(DatabaseRoles.all()));
        assertThat(processes.find(Component.POSTGRES)).hasValueSatisfying(found -> {
            assertThat(found.pid()).isEqualTo(postgresPid);
            assertThat(found.port()).isEqualTo(postgresPort);
        });
        try (Connection connection = LocalPostgres.connect(postgresPort, "order_service");
             Statement statement = connection.createStatement()) {
            assertThat(setting(statement, "wal_level")).isEqualTo("logical");
            assertThat(setting(statement, "synchronous_commit")).isEqualTo("on");
        }
        // Preparing again (a second up) finds the databases and changes nothing.
        postgres.awaitReadyAndPrepare(postgresPid, postgresPort, List.of(Component.ORDER, Component.PAYMENT_GATEWAY),
                folder.databasePasswords(DatabaseRoles.all()));

        int kafkaPort = freePort();
        LocalKafka kafka = new LocalKafka(folder, processes, new JavaCommand(folder));
        long kafkaPid = kafka.start(kafkaPort, freePort(), null);
        kafka.awaitReady(kafkaPid, kafkaPort);
        assertThat(processes.find(Component.KAFKA)).isPresent();
        assertThat(LocalKafka.isReady(kafkaPort)).isTrue();
        LocalKafka.createTopics(kafkaPort);
        LocalKafka.createTopics(kafkaPort);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", "127.0.0.1:" + kafkaPort))) {
            assertThat(admin.listTopics().names().get()).containsAll(dev.sagaplatform.contracts.Topics.ALL);
        }

        assertThat(ProcessControl.stop(kafkaPid, "TERM", java.time.Duration.ofSeconds(60))).isFalse();
        assertThat(postgres.stop(postgresPid)).isFalse();
        assertThat(processes.find(Component.KAFKA)).isEmpty();
        assertThat(processes.find(Component.POSTGRES)).isEmpty();
        assertThat(ProcessControl.isAlive(postgresPid)).isFalse();
        assertThat(ProcessControl.isAlive(kafkaPid)).isFalse();
    }

    /** A pid file whose pid now belongs to another program (after a reboot, say) does not make that program ours. */
    @Test
    void aReusedPidIsNotMistakenForOurProcess() {
        RunFolder folder = new RunFolder(temp, Map.of());
        ProcessControl processes = new ProcessControl(folder);
        long somebodyElse = ProcessHandle.current().pid();
        processes.writePidFile(Component.ORDER, somebodyElse, 8081, "-Dplatform.process=order-service@" + temp);
        assertThat(processes.find(Component.ORDER)).isEmpty();
        processes.writePidFile(Component.ORDER, somebodyElse, 8081, "java");
        assertThat(processes.find(Component.ORDER)).isPresent();
    }

    private static String setting(Statement statement, String name) throws Exception {
        try (ResultSet rows = statement.executeQuery("SHOW " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
