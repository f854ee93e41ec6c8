package dev.sagaplatform.benchmark;

import dev.sagaplatform.testsupport.JavaProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of the two systems: a relay JVM reading the outbox of its own database and publishing to its
 * own topic. While the other system is measured it is frozen with SIGSTOP, so it neither competes
 * for the two cores nor loses its JIT-compiled code; SIGCONT resumes it where it stopped
 * ({@code wal_sender_timeout=0} keeps PostgreSQL from dropping its replication connection meanwhile).
 */
abstract class RelayUnderTest implements AutoCloseable {

    /** Where the two systems run: the shared PostgreSQL server and Kafka broker, and the run's folder. */
    record Environment(String pgHost, int pgPort, String pgUser, String pgPassword, String bootstrapServers,
                       Path workDirectory, String heap, Path jfrDirectory, int lingerMillis) {

        String jdbcUrl(String database) {
            return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database;
        }
    }

    final String key;
    final String label;
    final Environment environment;
    final Ledger ledger;
    private JavaProcess process;
    private OutboxWriter writer;
    private Arrivals arrivals;
    private volatile boolean paused;

    RelayUnderTest(String key, String label, Environment environment, int rows) {
        this.key = key;
        this.label = label;
        this.environment = environment;
        this.ledger = new Ledger(rows);
    }

    String database() {
        return "bench_" + key;
    }

    String aggregateType() {
        return "bench-" + key;
    }

    /** Both systems route {@code aggregatetype} X to topic {@code X.events}. */
    String topic() {
        return aggregateType() + ".events";
    }

    String slotName() {
        return "bench_" + key;
    }

    /** The child JVM, configured but not started. */
    abstract JavaProcess.Builder processBuilder() throws IOException;

    void start(int partitions) throws IOException, SQLException {
        arrivals = new Arrivals(environment.bootstrapServers(), topic(), partitions, ledger);
        writer = new OutboxWriter(environment.jdbcUrl(database()), environment.pgUser(), environment.pgPassword(),
                aggregateType(), ledger);
        JavaProcess.Builder builder = processBuilder()
                .xmx(environment.heap())
                .logFile(environment.workDirectory().resolve(key + ".log"));
        if (environment.jfrDirectory() != null) {
            builder.jvmArgs("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + environment.jfrDirectory().resolve(key + ".jfr"));
        }
        process = builder.start();
    }

    /**
     * Writes a probe row every two seconds until one arrives: the system is then streaming. Rows
     * written before its replication slot existed may never arrive, which is why it keeps writing.
     */
    Duration awaitStreaming(Duration timeout) throws SQLException {
        long begin = System.nanoTime();
        long deadline = begin + timeout.toNanos();
        List<Integer> probes = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            checkAlive();
            arrivals.checkHealthy();
            probes.add(writer.insertOne());
            long nextProbe = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < nextProbe) {
                if (probes.stream().anyMatch(ledger::isReceived)) {
                    return Duration.ofNanos(System.nanoTime() - begin);
                }
                sleep(20);
            }
        }
        throw new IllegalStateException(label + " did not publish a probe row within " + timeout
                + "; last lines of its log (" + process.logFile() + "):\n" + process.tailLog(40));
    }

    OutboxWriter writer() {
        return writer;
    }

    long pid() {
        return process.pid();
    }

    long cpuNanos() {
        return ProcessCpu.nanos(process.pid());
    }

    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(label + " exited; last lines of its log (" + process.logFile() + "):\n"
                    + process.tailLog(40));
        }
        if (arrivals != null) {
            arrivals.checkHealthy();
        }
    }

    void pause() {
        signal("-STOP");
        paused = true;
    }

    void resume() {
        signal("-CONT");
        paused = false;
    }

    private void signal(String signal) {
        checkAlive();
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal " + label, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (arrivals != null) {
            arrivals.close();
        }
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException e) {
                // the server may already be gone
            }
        }
        if (process != null && process.isAlive()) {
            if (paused) {
                signal("-CONT");
            }
            process.stop(Duration.ofSeconds(15));
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
