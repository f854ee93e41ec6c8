package dev.sagaplatform.simulator.services;

import dev.sagaplatform.inventory.InventoryProperties;
import dev.sagaplatform.inventory.catalog.persistence.Product;
import dev.sagaplatform.inventory.stock.StockMetrics;
import dev.sagaplatform.inventory.stock.StockReservations;
import dev.sagaplatform.inventory.stock.messaging.StockMessageHandlers;
import dev.sagaplatform.inventory.stock.messaging.StockSubscription;
import dev.sagaplatform.simulator.adapters.InMemoryStock;
import dev.sagaplatform.simulator.node.Node;
import dev.sagaplatform.simulator.store.Database;
import dev.sagaplatform.simulator.world.World;
import dev.sagaplatform.simulator.world.Workload;

/** inventory-service in the simulated world: its real stock handlers and {@link StockReservations} on in-memory stores. */
public final class SimulatedInventory {

    private final Database database;
    private final InMemoryStock stock;
    private final Node node;

    public SimulatedInventory(World world, Workload workload) {
        this.database = world.database("inventory-service");
        this.stock = new InMemoryStock(database);
        database.inTransaction(() -> workload.products().forEach(p -> stock.add(new Product(p.sku(), p.sku(), p.price(), p.stock()))));
        StockReservations reservations = new StockReservations(stock, stock, new StockMetrics(world.meters()), world.clock(),
                world.bugs());
        StockMessageHandlers handlers = new StockMessageHandlers(reservations, world.outbox(database),
                new InventoryProperties(new InventoryProperties.Seed(InventoryProperties.NO_SEED), new InventoryProperties.Testing("")));
        this.node = world.node("inventory-service", database, new StockSubscription().inventorySubscription(handlers));
    }

    public InMemoryStock stock() {
        return stock;
    }

    public Node node() {
        return node;
    }
}
