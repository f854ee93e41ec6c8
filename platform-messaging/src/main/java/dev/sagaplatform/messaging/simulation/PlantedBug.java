package dev.sagaplatform.messaging.simulation;

/**
 * Known bugs that can be switched on deliberately, so that the deterministic simulator (and the chaos runner's
 * broken build) can prove they find them. Production code paths that know a bug take a {@link PlantedBugs} and
 * are given {@link PlantedBugs#NONE} everywhere but in those tests.
 */
public enum PlantedBug {

    /** Consumers apply a message without checking the inbox: a redelivery applies twice. */
    SKIP_INBOX,

    /** Inventory gives the stock of a released reservation back twice. */
    DOUBLE_RELEASE,

    /** The orchestrator acts on a reply to a command it no longer waits for (after a timeout turned the saga round). */
    LATE_REPLY_TAKES_EFFECT,

    /** Payment-service charges with a fresh idempotency key on every attempt, so a retried charge is charged twice. */
    FRESH_CHARGE_KEY
}
