package dev.sagaplatform.contracts;

/**
 * Values of the outbox {@code aggregatetype} column. The relay routes on this column, so a
 * command stream gets its own aggregate type rather than sharing the producer's events topic.
 */
public final class AggregateTypes {

    public static final String ORDER = "order";
    public static final String PAYMENT = "payment";
    public static final String INVENTORY = "inventory";
    public static final String PAYMENT_COMMANDS = "payment-commands";
    public static final String INVENTORY_COMMANDS = "inventory-commands";
    public static final String ORDER_COMMANDS = "order-commands";
    public static final String SAGA_REPLIES = "saga-replies";

    private AggregateTypes() {
    }
}
