package dev.sagaplatform.cli.chaos.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The journal as a report a person reads: verdict first, then the timeline, load, metrics and any offending orders. */
final class Report {

    private Report() {
    }

    static String markdown(JsonNode journal) {
        StringBuilder md = new StringBuilder();
        boolean passed = journal.path("passed").asBoolean(false);
        md.append("# Chaos experiment: ").append(journal.path("title").asText()).append("\n\n");
        md.append("**Verdict: ").append(passed ? "PASSED" : "FAILED").append("** (").append(journal.path("status").asText())
                .append(") on the ").append(journal.path("target").asText()).append(" target, ")
                .append(journal.path("start").asText()).append(", ")
                .append(String.format(Locale.ROOT, "%.0f s", journal.path("duration_seconds").asDouble())).append(".\n\n");
        if (!journal.path("description").asText().isBlank()) {
            md.append(journal.path("description").asText()).append("\n\n");
        }
        if (!journal.path("hypothesis").asText().isBlank()) {
            md.append("Hypothesis: ").append(journal.path("hypothesis").asText()).append("\n\n");
        }
        md.append("| check | result |\n| --- | --- |\n");
        md.append("| steady state before | ").append(met(journal.path("steady_state_before"))).append(" |\n");
        md.append("| steady state after | ").append(met(journal.path("steady_state_after"))).append(" |\n");
        long watched = journal.path("metrics_to_watch").size();
        long held = 0;
        for (JsonNode metric : journal.path("metrics_to_watch")) {
            held += metric.path("holds").asBoolean() ? 1 : 0;
        }
        md.append("| metrics to watch | ").append(watched == 0 ? "none" : held + " of " + watched + " hold").append(" |\n");
        JsonNode invariants = journal.path("invariants");
        md.append("| business invariants | ").append(!invariants.path("checked").asBoolean(false) ? "not checked"
                : invariants.path("holds").asBoolean() ? "hold" : invariants.path("violations").size() + " violation(s)").append(" |\n\n");

        md.append("## Timeline\n\n| at (s) | step | line | status | detail |\n| --- | --- | --- | --- | --- |\n");
        for (JsonNode step : journal.path("run")) {
            md.append("| ").append(step.path("start_seconds").asText("")).append(" | ").append(cell(step.path("type").asText()))
                    .append(": ").append(cell(step.path("activity").asText())).append(" | ").append(step.path("line").asText(""))
                    .append(" | ").append(step.path("status").asText()).append(" | ")
                    .append(cell(step.path("exception").asText(step.path("output").asText("")))).append(" |\n");
        }
        md.append('\n');
        for (String phase : new String[] {"steady_state_before", "steady_state_after"}) {
            if (journal.path(phase).path("probes").isEmpty()) {
                continue;
            }
            md.append("## ").append(phase.replace('_', ' ')).append("\n\n| probe | output | tolerance | met |\n| --- | --- | --- | --- |\n");
            for (JsonNode probe : journal.path(phase).path("probes")) {
                md.append("| ").append(cell(probe.path("name").asText())).append(" | ").append(cell(probe.path("output").asText()))
                        .append(" | ").append(cell(probe.path("tolerance").asText(""))).append(" | ")
                        .append(probe.path("tolerance_met").asBoolean() ? "yes" : "**no**").append(" |\n");
            }
            md.append('\n');
        }
        if (journal.has("load")) {
            JsonNode load = journal.path("load");
            md.append("## Load\n\n").append(load.path("summary").asText("")).append("\n\n");
        }
        if (watched > 0) {
            md.append("## Metrics over the experiment\n\n| expression | value | holds |\n| --- | --- | --- |\n");
            for (JsonNode metric : journal.path("metrics_to_watch")) {
                md.append("| `").append(metric.path("expression").asText()).append("` | ").append(cell(metric.path("shown").asText()))
                        .append(metric.path("note").isTextual() ? " (" + cell(metric.path("note").asText()) + ")" : "").append(" | ")
                        .append(metric.path("holds").asBoolean() ? "yes" : "**no**").append(" |\n");
            }
            md.append('\n');
        }
        if (invariants.path("checked").asBoolean(false)) {
            md.append("## Business invariants\n\n");
            StringBuilder counts = new StringBuilder();
            invariants.path("counts").fields().forEachRemaining(e -> counts.append(counts.length() == 0 ? "" : ", ")
                    .append(e.getValue().asText()).append(' ').append(e.getKey()));
            md.append("Checked ").append(counts).append(".\n\n");
            if (invariants.path("violations").isEmpty()) {
                md.append("Every invariant holds.\n\n");
            }
            else {
                md.append("| invariant | violation | orders | rows |\n| --- | --- | --- | --- |\n");
                for (JsonNode violation : invariants.path("violations")) {
                    md.append("| ").append(violation.path("invariant").asText()).append(" | ").append(cell(violation.path("message").asText()))
                            .append(" | ").append(cell(join(violation.path("orders")))).append(" | ").append(cell(join(violation.path("rows"))))
                            .append(" |\n");
                }
                md.append('\n');
            }
        }
        if (!journal.path("notes").isEmpty()) {
            md.append("## Notes on the file\n\n");
            journal.path("notes").forEach(note -> md.append("- ").append(note.asText()).append('\n'));
        }
        return md.toString();
    }

    private static String met(JsonNode phase) {
        return phase.isMissingNode() ? "not run" : phase.path("steady_state_met").asBoolean() ? "met" : "**not met**";
    }

    private static String join(JsonNode array) {
        StringBuilder text = new StringBuilder();
        int shown = 0;
        for (JsonNode item : array) {
            if (shown++ == 10) {
                text.append(", ... (").append(array.size()).append(" in all)");
                break;
            }
            text.append(text.length() == 0 ? "" : ", ").append(item.asText());
        }
        return text.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
