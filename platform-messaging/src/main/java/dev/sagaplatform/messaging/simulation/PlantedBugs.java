package dev.sagaplatform.messaging.simulation;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Which {@link PlantedBug}s are switched on; {@link #NONE} in every real deployment. */
public record PlantedBugs(Set<PlantedBug> active) {

    public static final PlantedBugs NONE = new PlantedBugs(Set.of());

    public PlantedBugs {
        // An EnumSet iterates in declaration order on every JVM, which keeps a simulated run's report replayable.
        active = active.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(active));
    }

    public static PlantedBugs of(Collection<PlantedBug> bugs) {
        return bugs.isEmpty() ? NONE : new PlantedBugs(EnumSet.copyOf(bugs));
    }

    public boolean has(PlantedBug bug) {
        return active.contains(bug);
    }
}
