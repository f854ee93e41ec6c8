package dev.sagaplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./platform load} refuses bad arguments with a clear message before it touches any platform. */
class LoadCommandTest {

    @TempDir
    Path runFolder;

    private record Run(int exit, String output) {
    }

    private Run load(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        String[] full = new String[args.length + 3];
        full[0] = "load";
        full[1] = "--run-folder";
        full[2] = runFolder.toString();
        System.arraycopy(args, 0, full, 3, args.length);
        int exit = PlatformCli.execute(Map.of(), stream, stream, full);
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void explainsEveryBadArgument() {
        Run run = load("--rate", "-3", "--duration", "10s", "--lines", "5", "--skus", "2", "--flow", "MIXED");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("--rate -3.0: orders per second").contains("--lines 5 needs at least as many --skus (2)");
    }

    @Test
    void explainsABadDurationOrFlow() {
        assertThat(load("--rate", "5", "--duration", "a while").output()).contains("--duration a while: a duration such as 60s");
        assertThat(load("--rate", "5", "--duration", "5s", "--flow", "saga").output()).contains("--flow saga: CHOREOGRAPHY, ORCHESTRATION or MIXED");
    }

    @Test
    void requiresRateAndDuration() {
        Run run = load("--duration", "10s");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).contains("Missing required option: '--rate=R'");
    }
}
