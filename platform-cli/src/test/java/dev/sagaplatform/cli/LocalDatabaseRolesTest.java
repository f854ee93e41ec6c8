package dev.sagaplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.deploy.LeastPrivilegeDatabases;
import dev.sagaplatform.testsupport.RealInfrastructure;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local platform's PostgreSQL (the CLI's own server, in a run folder of its own) as {@code up} provisions it: least
 * privilege ({@link LeastPrivilegeDatabases}) for a fresh data directory and for one from before the services had
 * their own roles, whose databases the superuser created and migrated.
 */
@Tag(RealInfrastructure.TAG)
class LocalDatabaseRolesTest {

    @TempDir
    Path temp;

    @Test
    void eachServiceGetsItsOwnRoleAndDatabaseAndTheRelayOnlyItsOutboxes() throws Exception {
        RunFolder folder = new RunFolder(temp, Map.of());
        folder.create();
        ProcessControl processes = new ProcessControl(folder);
        int port = freePort();
        LocalPostgres postgres = new LocalPostgres(folder, processes, null);
        long pid = postgres.start(port);
        try {
            // A data directory from before: order_service created and migrated by the superuser, with a sequence of its own.
            waitUntilReady(port);
            try (Connection admin = LocalPostgres.connect(port, "postgres"); Statement statement = admin.createStatement()) {
                statement.execute("CREATE DATABASE order_service");
            }
            Flyway.configure().dataSource("jdbc:postgresql://localhost:" + port + "/order_service", LocalPostgres.USER,
                    LocalPostgres.PASSWORD).locations("classpath:db/messaging").load().migrate();
            try (Connection admin = LocalPostgres.connect(port, "order_service"); Statement statement = admin.createStatement()) {
                statement.execute("create table legacy (id bigint generated always as identity primary key)");
                statement.execute("create sequence legacy_numbers");
            }

            Map<String, String> passwords = folder.databasePasswords(DatabaseRoles.all());
            List<Component> services = List.of(Component.PAYMENT_GATEWAY, Component.INVENTORY, Component.SAGA_ORCHESTRATOR,
                    Component.PAYMENT, Component.ORDER, Component.SAGA_CONSOLE);
            postgres.awaitReadyAndPrepare(pid, port, services, passwords);
            // A second up provisions again and changes nothing.
            postgres.awaitReadyAndPrepare(pid, port, services, passwords);

            new LeastPrivilegeDatabases("localhost", port, passwords).verify();
            List<String> roles = new java.util.ArrayList<>(LeastPrivilegeDatabases.SERVICE_DATABASES);
            roles.add(LeastPrivilegeDatabases.RELAY);
            assertThat(passwords.keySet()).containsExactlyInAnyOrderElementsOf(roles);
            assertThat(folder.databasePasswords(DatabaseRoles.all())).as("kept for the next up").isEqualTo(passwords);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("database.properties"))))
                    .isEqualTo("rw-------");
        }
        finally {
            postgres.stop(pid);
        }
    }

    @Test
    void eachServiceIsGivenItsOwnRoleAndPasswordOnly() {
        Map<String, String> passwords = new java.util.LinkedHashMap<>();
        DatabaseRoles.all().forEach(role -> passwords.put(role, "secret-of-" + role));
        Map<Component, Integer> ports = new java.util.EnumMap<>(Component.class);
        for (Component component : Component.values()) {
            ports.put(component, component.defaultPort());
        }
        for (Component service : Component.values()) {
            if (!service.isService()) {
                continue;
            }
            Map<String, String> environment = Platform.serviceEnvironment(service, ports, true, null, passwords);
            List<String> secrets = passwords.values().stream().filter(secret -> environment.values().stream().anyMatch(secret::equals)).toList();
            if (service == Component.OUTBOX_RELAY) {
                assertThat(environment).containsEntry("RELAY_SOURCES_0_USERNAME", DatabaseRoles.RELAY);
                assertThat(secrets).containsOnly("secret-of-" + DatabaseRoles.RELAY);
            }
            else {
                assertThat(Platform.serviceArguments(service, ports, true)).as(service.id())
                        .contains("--spring.datasource.username=" + service.database())
                        .noneMatch(argument -> argument.contains("username=postgres"));
                assertThat(secrets).as(service.id()).containsExactly("secret-of-" + service.database());
            }
        }
    }

    private static void waitUntilReady(int port) {
        long deadline = System.nanoTime() + LocalPostgres.READY_TIMEOUT.toNanos();
        while (!LocalPostgres.isReady(port)) {
            assertThat(System.nanoTime()).as("PostgreSQL ready").isLessThan(deadline);
            Tools.sleep(200);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
