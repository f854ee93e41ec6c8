package dev.sagaplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.simulator.SimulateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every {@code ./platform <command> [--option]} the README, CONTRIBUTING, k8s/README and docs/ mention exists in the
 * picocli command tree (the CLI's, and the simulator's for {@code ./platform simulate}), so the docs cannot promise a command or flag that is not there. A line that says "planned"
 * names something on purpose that does not exist yet.
 */
class DocumentedCommandsTest {

    /** From {@code ./platform} to the end of the code span, a comment or the table cell. */
    private static final Pattern INVOCATION = Pattern.compile("\\./platform((?:[ \\t]+[^`#|\\n\\s]+|[ \\t]*\\|[ \\t]*[a-z-]+(?=[\\s`]))*)");

    @Test
    void everyDocumentedCommandAndOptionExists() throws IOException {
        CommandSpec root = new CommandLine(new PlatformCli(Map.of())).getCommandSpec();
        // './platform simulate' passes its arguments on to the simulator (a program of its own): check them against its options.
        root.removeSubcommand("simulate");
        root.addSubcommand("simulate", new CommandLine(new SimulateCommand()));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path doc : documents()) {
            List<String> lines = Files.readAllLines(doc);
            for (int number = 0; number < lines.size(); number++) {
                String line = lines.get(number);
                if (line.toLowerCase(java.util.Locale.ROOT).contains("planned")) {
                    continue;
                }
                Matcher invocation = INVOCATION.matcher(line);
                while (invocation.find()) {
                    checked++;
                    String where = doc + ":" + (number + 1) + ": ./platform" + invocation.group(1);
                    check(root, invocation.group(1).trim(), where, problems);
                }
            }
        }
        assertThat(checked).as("./platform invocations found in the docs").isGreaterThan(20);
        assertThat(problems).isEmpty();
    }

    private static void check(CommandSpec root, String arguments, String where, List<String> problems) {
        List<CommandSpec> commands = List.of(root);
        boolean optionsStarted = false;
        for (String raw : arguments.split("\\s+")) {
            if (raw.equals("&&") || raw.equals(";")) {
                return;
            }
            String token = raw.replaceAll("[\\[\\]()`,;:.]+$", "").replaceAll("^[\\[(]+", "");
            if (!token.isEmpty() && !token.equals("...") && !token.equals("\u2026")) {
                if (token.startsWith("--")) {
                    optionsStarted = true;
                    String option = token.split("[=\\[]", 2)[0];
                    if (commands.stream().noneMatch(command -> hasOption(command, option))) {
                        problems.add(where + ": '" + commands.get(0).qualifiedName() + "' has no option " + option);
                    }
                } else if (!optionsStarted && token.matches("[a-z][a-z-]*(\\|[a-z][a-z-]*)*")
                        && !commands.get(0).subcommands().isEmpty()) {
                    List<CommandSpec> next = new ArrayList<>();
                    for (String alternative : token.split("\\|")) {
                        CommandLine sub = commands.get(0).subcommands().get(alternative);
                        if (sub == null) {
                            problems.add(where + ": '" + commands.get(0).qualifiedName() + "' has no subcommand " + alternative);
                        } else {
                            next.add(sub.getCommandSpec());
                        }
                    }
                    if (next.isEmpty()) {
                        return;
                    }
                    commands = next;
                }
            }
            // Prose goes on after a colon, a closing parenthesis or a comma.
            if (raw.matches(".*[:),]$")) {
                return;
            }
        }
    }

    private static boolean hasOption(CommandSpec command, String option) {
        if (command.findOption(option) != null) {
            return true;
        }
        if (option.startsWith("--no-")) {
            CommandLine.Model.OptionSpec positive = command.findOption("--" + option.substring("--no-".length()));
            return positive != null && positive.negatable();
        }
        return false;
    }

    private static List<Path> documents() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("CONTRIBUTING.md"),
                root.resolve("k8s/README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }
}
