package dev.sagaplatform.cli.chaos.experiment;

/** One argument an action or probe accepts: its name, what kind of value it takes, and whether it is required. */
public record Argument(String name, Kind kind, boolean required, String help) {

    public enum Kind {
        DURATION("a duration such as 500ms, 30s or 2m (a bare number is seconds)"),
        NUMBER("a number"),
        RATIO("a fraction from 0 to 1, or a percentage such as 25%"),
        BOOLEAN("true or false"),
        TEXT("text"),
        STATUSES("an HTTP status or a list of them");

        final String describe;

        Kind(String describe) {
            this.describe = describe;
        }
    }

    static Argument required(String name, Kind kind, String help) {
        return new Argument(name, kind, true, help);
    }

    static Argument optional(String name, Kind kind, String help) {
        return new Argument(name, kind, false, help);
    }
}
