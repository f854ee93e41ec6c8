package dev.sagaplatform.testsupport;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

@Tag(RealInfrastructure.TAG)
class JavaProcessTest {

    @Test
    void runsAMainClassFromTheTestClasspathAndStopsItGracefully(@TempDir Path directory) {
        JavaProcess process = JavaProcess.builder(EchoMain.class.getName())
                .args("a", "b c")
                .systemProperty("echo.property", "with space")
                .env("ECHO_ENV", "from-env")
                .xmx("64m")
                .logFile(directory.resolve("echo.log"))
                .start();
        try {
            awaitLog(process, "ready");
            assertThat(process.isAlive()).isTrue();
            assertThat(process.pid()).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(process.tailLog(10))
                    .contains("args=a,b c", "property=with space", "env=from-env")
                    .containsPattern("maxHeapMiB=(5\\d|6\\d)");
            process.stop();
            assertThat(process.isAlive()).isFalse();
            assertThat(process.tailLog(1)).isEqualTo("shutdown hook ran");
        }
        finally {
            if (process.isAlive()) {
                process.kill();
            }
        }
    }

    @Test
    void killSkipsShutdownHooks(@TempDir Path directory) {
        JavaProcess process = JavaProcess.builder(EchoMain.class.getName()).xmx("64m").logFile(directory.resolve("echo.log")).start();
        awaitLog(process, "ready");
        int exitCode = process.kill();
        assertThat(process.isAlive()).isFalse();
        assertThat(exitCode).isEqualTo(137);
        assertThat(process.tailLog(20)).doesNotContain("shutdown hook ran");
    }

    private static void awaitLog(JavaProcess process, String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!process.tailLog(20).contains(text)) {
            assertThat(process.isAlive()).as("child alive; log: %s", process.tailLog(20)).isTrue();
            assertThat(System.nanoTime()).as("'%s' in log within 30 s", text).isLessThan(deadline);
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
    }
}
