package dev.sagaplatform.deploy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules in the spirit of hadolint (not installable here) for this project's Dockerfiles: base images
 * pinned, multi-stage builds whose runtime stage runs as a non-root user, no ADD (and never of a URL),
 * exec-form entry points, lean apt installs, and a HEALTHCHECK for every image that serves a port.
 */
final class DockerfileLint {

    private static final Pattern FROM = Pattern.compile("(?i)^FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");

    private DockerfileLint() {
    }

    /** One instruction, continuation lines joined. */
    record Instruction(int line, String keyword, String arguments) {
    }

    static List<Instruction> parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].stripTrailing();
            String trimmed = line.strip();
            if (current == null && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (current != null && trimmed.startsWith("#")) {
                continue;
            }
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                String joined = current.toString().strip();
                int space = joined.indexOf(' ');
                String keyword = (space < 0 ? joined : joined.substring(0, space)).toUpperCase(Locale.ROOT);
                instructions.add(new Instruction(start, keyword, space < 0 ? "" : joined.substring(space + 1).strip()));
                current = null;
            }
        }
        return instructions;
    }

    static List<String> violations(String text) {
        List<Instruction> instructions = parse(text);
        List<String> problems = new ArrayList<>();
        Set<String> stages = new HashSet<>();
        int froms = 0;
        int lastFrom = -1;
        for (int i = 0; i < instructions.size(); i++) {
            Instruction instruction = instructions.get(i);
            switch (instruction.keyword()) {
                case "FROM" -> {
                    froms++;
                    lastFrom = i;
                    Matcher from = FROM.matcher("FROM " + instruction.arguments());
                    if (!from.matches()) {
                        problems.add(instruction.line() + ": cannot read FROM " + instruction.arguments());
                        continue;
                    }
                    String image = from.group(1);
                    boolean pinned = (image.contains(":") || image.contains("@")) && ComposePolicy.PINNED.matcher(image).matches();
                    if (!stages.contains(image) && !pinned) {
                        problems.add(instruction.line() + ": base image " + image + " is not pinned to a version or digest");
                    }
                    if (from.group(2) != null) {
                        stages.add(from.group(2));
                    }
                }
                case "ADD" -> problems.add(instruction.line() + ": ADD" + (instruction.arguments().matches("(?s).*\\bhttps?://.*")
                        ? " of a URL downloads unverified content" : "") + ": use COPY (or RUN with a checksum check)");
                case "MAINTAINER" -> problems.add(instruction.line() + ": MAINTAINER is deprecated: use a LABEL");
                case "RUN" -> {
                    String run = instruction.arguments();
                    if (run.contains("apt-get install") && !run.contains("--no-install-recommends")) {
                        problems.add(instruction.line() + ": apt-get install without --no-install-recommends");
                    }
                    if (run.contains("apt-get install") && !run.contains("rm -rf /var/lib/apt/lists")) {
                        problems.add(instruction.line() + ": apt-get install without removing /var/lib/apt/lists in the same layer");
                    }
                    if (run.contains("apt-get install") && !run.matches("(?s).*apt-get install\\s+(-\\S+\\s+)*-y.*")) {
                        problems.add(instruction.line() + ": apt-get install without -y");
                    }
                    if (run.matches("(?s).*\\b(curl|wget)\\b[^|;&]*\\|\\s*(ba)?sh\\b.*")) {
                        problems.add(instruction.line() + ": piping a download into a shell");
                    }
                    if (run.matches("(?s).*\\bsudo\\b.*")) {
                        problems.add(instruction.line() + ": sudo in a Dockerfile");
                    }
                }
                case "ENTRYPOINT", "CMD" -> {
                    if (!instruction.arguments().startsWith("[")) {
                        problems.add(instruction.line() + ": " + instruction.keyword()
                                + " in shell form: signals reach the shell, not the JVM; use the exec form [\"...\"]");
                    }
                }
                default -> {
                }
            }
        }
        if (froms < 2) {
            problems.add("not a multi-stage build: build in one stage, run from a runtime-only image");
        }
        List<Instruction> runtime = lastFrom < 0 ? List.of() : instructions.subList(lastFrom, instructions.size());
        String user = null;
        boolean exposes = false;
        boolean healthcheck = false;
        for (Instruction instruction : runtime) {
            switch (instruction.keyword()) {
                case "USER" -> user = instruction.arguments();
                case "EXPOSE" -> exposes = true;
                case "HEALTHCHECK" -> healthcheck = !instruction.arguments().equalsIgnoreCase("NONE");
                case "COPY" -> {
                    if (!instruction.arguments().contains("--from=") && instruction.arguments().matches("(?s)(--\\S+\\s+)*\\.\\s+.*")) {
                        problems.add(instruction.line() + ": the runtime stage copies the whole build context");
                    }
                }
                default -> {
                }
            }
        }
        if (user == null) {
            problems.add("the runtime stage has no USER: it would run as root");
        }
        else if (user.matches("(?i)(root|0)(:.*)?")) {
            problems.add("the runtime stage runs as root (USER " + user + ")");
        }
        if (exposes && !healthcheck) {
            problems.add("the image serves a port but has no HEALTHCHECK");
        }
        if (runtime.stream().noneMatch(instruction -> instruction.keyword().equals("ENTRYPOINT") || instruction.keyword().equals("CMD"))) {
            problems.add("the runtime stage has no ENTRYPOINT or CMD");
        }
        return problems;
    }
}
