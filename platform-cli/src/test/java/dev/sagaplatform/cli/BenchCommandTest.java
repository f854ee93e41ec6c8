package dev.sagaplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./platform bench} refuses bad arguments, and a platform that is not running, with a clear message. */
class BenchCommandTest {

    @TempDir
    Path runFolder;

    private String bench(int expectedExit, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        String[] full = new String[args.length + 3];
        full[0] = "bench";
        full[1] = "--run-folder";
        full[2] = runFolder.toString();
        System.arraycopy(args, 0, full, 3, args.length);
        PrintStream previous = System.out;
        int exit;
        try {
            System.setOut(stream);
            exit = PlatformCli.execute(Map.of(), stream, stream, full);
        } finally {
            System.setOut(previous);
        }
        String output = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isEqualTo(expectedExit);
        return output;
    }

    @Test
    void explainsEveryBadArgument() {
        assertThat(bench(1, "--step-duration", "2s", "--max-steps", "0", "--ceiling-clients", "99"))
                .contains("--step-duration 2s: from 10s to 30m")
                .contains("--max-steps 0: from 1 to 30")
                .contains("--ceiling-clients 99: from 1 to 64");
        assertThat(bench(1, "--flow", "SAGA")).contains("--flow SAGA: CHOREOGRAPHY, ORCHESTRATION or MIXED");
        assertThat(bench(1, "--idle", "forever")).contains("--idle forever: a duration such as 60s");
    }

    @Test
    void measuresOnlyARunningPlatform() {
        assertThat(bench(1)).contains("are not running: ./platform up first.");
    }
}
