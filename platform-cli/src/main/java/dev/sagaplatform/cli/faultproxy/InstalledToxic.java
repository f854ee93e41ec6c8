package dev.sagaplatform.cli.faultproxy;

/**
 * A toxic as it sits on a proxy: its validated settings and the type and direction they name.
 * <p>
 * Equality is identity on purpose. Connections key per-toxic decisions on the instance (whether
 * the toxic applies to them, a running timeout timer), so an update, which installs a new instance,
 * makes them decide again, as Toxiproxy re-runs a toxic on update. State that must outlive an
 * update (the byte count of {@code limit_data}) is keyed on {@link #id()}, which an update keeps.
 */
final class InstalledToxic {

    private final long id;
    private final Toxic settings;
    private final ToxicType type;
    private final Direction direction;

    InstalledToxic(long id, Toxic settings, ToxicType type, Direction direction) {
        this.id = id;
        this.settings = settings;
        this.type = type;
        this.direction = direction;
    }

    long id() {
        return id;
    }

    String name() {
        return settings.name();
    }

    ToxicType type() {
        return type;
    }

    Direction direction() {
        return direction;
    }

    double toxicity() {
        return settings.toxicity();
    }

    long attribute(String attribute) {
        return settings.attribute(attribute);
    }

    /** The API's view: {@code {"name", "type", "stream", "toxicity", "attributes"}}. */
    Toxic settings() {
        return settings;
    }

    /** The same toxic (same id, type and direction) with new attributes or toxicity. */
    InstalledToxic updatedTo(Toxic newSettings) {
        return new InstalledToxic(id, newSettings, type, direction);
    }

    String describe() {
        return settings.name() + " (" + type.id() + " " + direction.id() + ", toxicity " + settings.toxicity()
                + (settings.attributes().isEmpty() ? "" : ", " + settings.attributes()) + ")";
    }
}
