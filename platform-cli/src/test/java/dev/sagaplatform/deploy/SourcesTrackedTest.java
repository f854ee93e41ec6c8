package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * No source file is silently left out of the repository by a .gitignore pattern: `target/` once matched a Java
 * package named {@code target}, everything built here, and a clean clone did not compile.
 */
class SourcesTrackedTest {

    @Test
    void noFileUnderASourceFolderIsIgnoredByGit() throws Exception {
        // A module's own sources: <module>/src/main|test/..., not the run folder's or a build's copies.
        List<String> ignored = git("ls-files", "--others", "--ignored", "--exclude-standard", "--", "*/src/main/*", "*/src/test/*")
                .stream().filter(path -> path.matches("[A-Za-z0-9][^/]*/src/(main|test)/.*")).toList();
        assertThat(ignored).as("source files .gitignore hides from the repository").isEmpty();
    }

    private static List<String> git(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", Repository.root().toString()));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (IOException noGit) {
            Assumptions.abort("git is not installed");
            throw noGit;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(process.waitFor() == 0, "not a git checkout: " + output.strip());
        return output.lines().filter(line -> !line.isBlank()).toList();
    }
}
