package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.testsupport.PostgresServer;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code docker/postgres/init-databases.sql}, which compose's and Kubernetes' PostgreSQL run on an empty volume, run
 * the same way here — by psql, as the superuser, the passwords in the environment — against the real PostgreSQL of
 * the test JVM: the databases and roles it leaves are least privilege ({@link LeastPrivilegeDatabases}). Needs psql
 * 15 or newer on the PATH ({@code \getenv}); skipped without it.
 */
@Tag(RealInfrastructure.TAG)
class InitDatabasesScriptTest {

    private static final Path SCRIPT = Repository.root().resolve("docker/postgres/init-databases.sql");

    private final PostgresServer postgres = TestInfrastructure.get().postgres();

    @BeforeEach
    @AfterEach
    void dropWhatTheScriptCreates() throws SQLException {
        try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.adminUser(), postgres.adminPassword());
             Statement statement = admin.createStatement()) {
            statement.execute("select pg_drop_replication_slot(slot_name) from pg_replication_slots where database in ("
                    + String.join(", ", LeastPrivilegeDatabases.SERVICE_DATABASES.stream().map(d -> "'" + d + "'").toList()) + ")");
            for (String database : LeastPrivilegeDatabases.SERVICE_DATABASES) {
                statement.execute("drop database if exists " + database + " with (force)");
            }
            for (String role : roles()) {
                statement.execute("drop role if exists " + role);
            }
        }
    }

    @Test
    void leavesEachServiceItsOwnDatabaseAndTheRelayItsOutboxes() throws Exception {
        Map<String, String> passwords = new LinkedHashMap<>();
        roles().forEach(role -> passwords.put(role, "pw-" + role.replace('_', '-')));

        Result result = psql(passwords);

        assertThat(result.exitCode()).as(result.output()).isZero();
        new LeastPrivilegeDatabases(postgres.host(), postgres.port(), passwords).verify();
    }

    @Test
    void refusesToRunWithoutEveryPasswordAndCreatesNothing() throws Exception {
        Map<String, String> passwords = new LinkedHashMap<>();
        roles().forEach(role -> passwords.put(role, "pw"));
        passwords.remove(LeastPrivilegeDatabases.RELAY);

        Result result = psql(passwords);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("set ORDER_SERVICE_DB_PASSWORD", "OUTBOX_RELAY_DB_PASSWORD");
        try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.adminUser(), postgres.adminPassword());
             Statement statement = admin.createStatement();
             var rows = statement.executeQuery("select count(*) from pg_roles where rolname in ("
                     + String.join(", ", roles().stream().map(r -> "'" + r + "'").toList()) + ")")) {
            rows.next();
            assertThat(rows.getInt(1)).isZero();
        }
    }

    /**
     * compose's PostgreSQL healthcheck, run for real: it fails while the roles and databases of the script are not
     * there yet, and passes once the script ran (ComposeFileTest checks it asks for the script's last statement).
     */
    @Test
    void composesHealthcheckPassesOnlyOnceTheScriptRan() throws Exception {
        Assumptions.assumeTrue(psqlWithGetenv(), "psql 15 or newer (\\getenv) is not on the PATH");
        Map<String, Object> compose = Repository.yaml(Repository.read(Repository.root().resolve("docker-compose.yml")));
        @SuppressWarnings("unchecked")
        Map<String, Object> postgresService = (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("postgres");
        @SuppressWarnings("unchecked")
        List<String> test = (List<String>) ((Map<String, Object>) postgresService.get("healthcheck")).get("test");
        // compose's $$ is a literal $; the server under test is not the container's 127.0.0.1:5432 as postgres.
        String check = test.get(1).replace("$$", "$").replace("-h 127.0.0.1", "-h " + postgres.host() + " -p " + postgres.port())
                .replace("-U postgres", "-U " + postgres.adminUser());
        // The script also creates saga_console, which LeastPrivilegeDatabases.SERVICE_DATABASES (and so the clean-up
        // above) does not list yet: this test creates and drops it itself.
        dropSagaConsole();
        try {
            assertThat(healthcheck(check)).as("before the init script").isNotZero();

            Map<String, String> passwords = new LinkedHashMap<>();
            roles().forEach(role -> passwords.put(role, "pw-" + role.replace('_', '-')));
            passwords.put("saga_console", "pw-saga-console");
            Result result = psql(passwords);
            assertThat(result.exitCode()).as(result.output()).isZero();

            assertThat(healthcheck(check)).as("after the init script").isZero();
        }
        finally {
            dropSagaConsole();
        }
    }

    private void dropSagaConsole() throws SQLException {
        try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.adminUser(), postgres.adminPassword());
             Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists saga_console with (force)");
            statement.execute("drop role if exists saga_console");
        }
    }

    private int healthcheck(String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
        builder.environment().put("POSTGRES_PASSWORD", postgres.adminPassword());
        builder.environment().remove("PGPASSWORD");
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private static List<String> roles() {
        List<String> roles = new ArrayList<>(LeastPrivilegeDatabases.SERVICE_DATABASES);
        roles.add(LeastPrivilegeDatabases.RELAY);
        return roles;
    }

    private record Result(int exitCode, String output) {
    }

    /** As the postgres image's entrypoint runs an init script: psql as the superuser, stopping at the first error. */
    private Result psql(Map<String, String> passwords) throws Exception {
        Assumptions.assumeTrue(psqlWithGetenv(), "psql 15 or newer (\\getenv) is not on the PATH");
        ProcessBuilder builder = new ProcessBuilder("psql", "-X", "-v", "ON_ERROR_STOP=1", "-h", postgres.host(),
                "-p", String.valueOf(postgres.port()), "-U", postgres.adminUser(), "-d", "postgres", "-f", SCRIPT.toString())
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.endsWith("_DB_PASSWORD"));
        environment.put("PGPASSWORD", postgres.adminPassword());
        passwords.forEach((role, password) -> environment.put(role.toUpperCase(java.util.Locale.ROOT) + "_DB_PASSWORD", password));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static boolean psqlWithGetenv() {
        try {
            Process process = new ProcessBuilder("psql", "--version").redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            java.util.regex.Matcher major = java.util.regex.Pattern.compile("(\\d+)\\.").matcher(version);
            return process.exitValue() == 0 && major.find() && Integer.parseInt(major.group(1)) >= 15;
        }
        catch (Exception ex) {
            return false;
        }
    }
}
