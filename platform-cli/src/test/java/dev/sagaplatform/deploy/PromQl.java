package dev.sagaplatform.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The metric names a PromQL expression reads, and the names the services were seen to expose. Enough PromQL for the
 * expressions of this repository's alerts and dashboards: label matchers, ranges, grouping clauses and strings are
 * dropped, and what is left that is not a function call or a keyword is a metric name.
 */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private PromQl() {
    }

    static Set<String> metricNames(String expression) {
        String rest = expression
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\{?\\w+}?", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            boolean call = identifier.group(2) != null;
            if (!call && !KEYWORDS.contains(identifier.group(1))) {
                names.add(identifier.group(1));
            }
        }
        return names;
    }

    /**
     * Every name in {@code monitoring/exposed-metrics/*.txt}: what a service's own test scraped from its
     * {@code /actuator/prometheus} (platform-test-support's ExposedMetrics fails that test when a name there is gone).
     */
    static Set<String> exposedNames() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(Repository.root().resolve("monitoring/exposed-metrics"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".txt")).toList()) {
                Files.readAllLines(file).stream().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                        .forEach(names::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
