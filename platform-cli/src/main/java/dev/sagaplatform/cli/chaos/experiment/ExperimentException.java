package dev.sagaplatform.cli.chaos.experiment;

import java.util.List;

/** An experiment file that cannot run, with every problem found, each at its line. Nothing was touched. */
public final class ExperimentException extends Exception {

    /** One problem at one line of the file (0 when it concerns the whole file). */
    public record Problem(int line, String message) {
        @Override
        public String toString() {
            return line > 0 ? "line " + line + ": " + message : message;
        }
    }

    private final String source;
    private final List<Problem> problems;

    public ExperimentException(String source, List<Problem> problems) {
        super(source + ": " + problems.size() + " problem(s)\n" + String.join("\n",
                problems.stream().map(p -> "  " + p).toList()));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public String source() {
        return source;
    }

    public List<Problem> problems() {
        return problems;
    }
}
