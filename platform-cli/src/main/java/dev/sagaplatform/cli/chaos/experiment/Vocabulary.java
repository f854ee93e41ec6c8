package dev.sagaplatform.cli.chaos.experiment;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Words an experiment may use for one thing (an action, a probe): its id and the names engineers commonly write. */
interface Vocabulary {

    String id();

    Set<String> aliases();

    /** The entry a written name means, case and {@code _}/{@code -} aside. */
    static <T extends Vocabulary> Optional<T> resolve(T[] entries, String name) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(entries).filter(entry -> entry.id().equals(key) || entry.aliases().contains(key)).findFirst();
    }

    static List<String> ids(Vocabulary[] entries) {
        return Arrays.stream(entries).map(Vocabulary::id).toList();
    }
}
