package dev.sagaplatform.cli.faultproxy;

import java.util.Locale;
import java.util.Optional;

/**
 * The two directions of a proxied connection, named as Toxiproxy's {@code stream} field names them:
 * {@code upstream} is what the client sends towards the upstream server, {@code downstream} is what
 * the upstream server sends back to the client.
 */
enum Direction {

    UPSTREAM("upstream"),
    DOWNSTREAM("downstream");

    private final String id;

    Direction(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    /** Like Toxiproxy, case does not matter: {@code "Downstream"} is downstream. */
    static Optional<Direction> parse(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        for (Direction direction : values()) {
            if (direction.id.equals(lower)) {
                return Optional.of(direction);
            }
        }
        return Optional.empty();
    }
}
