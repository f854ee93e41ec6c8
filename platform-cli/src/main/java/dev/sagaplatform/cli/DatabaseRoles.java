package dev.sagaplatform.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The local PostgreSQL's roles, least privilege as in {@code docker/postgres/init-databases.sql} (compose and
 * Kubernetes): each service connects to its own database with its own role, named after the database, which owns
 * that database and everything in it and is neither superuser nor allowed to create databases or roles; no other
 * service's role may connect to it. The relay connects with {@value #RELAY}, which has {@code REPLICATION} and may
 * connect to the databases with an outbox; what it may read there (the outbox, its heartbeat and its position) each
 * service's own migration grants (platform-messaging's {@code R__relay_grants.sql}).
 * <p>
 * Idempotent, and it brings a data directory from before these roles up to date: a database and the objects in it
 * that the superuser still owns are handed to the service's role.
 */
final class DatabaseRoles {

    /** The outbox relay's role; platform-messaging's migration grants to this name. */
    static final String RELAY = "outbox_relay";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    /** Opens a connection to one database as the superuser. */
    @FunctionalInterface
    interface Superuser {
        Connection connect(String database) throws SQLException;
    }

    private DatabaseRoles() {
    }

    /** The role a service connects with: its database's name. */
    static String of(Component service) {
        if (service.database() == null) {
            throw new IllegalArgumentException(service.id() + " has no database");
        }
        return service.database();
    }

    /** Every role the local platform may need, whichever services run: one per service database, and the relay's. */
    static List<String> all() {
        List<String> roles = new ArrayList<>();
        for (Component component : Component.values()) {
            if (component.database() != null) {
                roles.add(of(component));
            }
        }
        roles.add(RELAY);
        return roles;
    }

    /**
     * Creates or corrects the roles, then each service's database with its owner.
     *
     * @param services  the services whose databases to provision
     * @param passwords every role's password ({@link #all()})
     */
    static void provision(Superuser superuser, Collection<Component> services, Map<String, String> passwords) throws SQLException {
        try (Connection admin = superuser.connect("postgres"); Statement statement = admin.createStatement()) {
            for (Component service : services) {
                role(admin, of(service), "NOREPLICATION", passwords);
            }
            role(admin, RELAY, "REPLICATION", passwords);
            for (Component service : services) {
                String database = name(service.database());
                String owner = of(service);
                if (!exists(admin, "select 1 from pg_database where datname = ?", database)) {
                    statement.execute("CREATE DATABASE " + database + " OWNER " + owner);
                }
                else {
                    statement.execute("ALTER DATABASE " + database + " OWNER TO " + owner);
                    try (Connection inside = superuser.connect(database); Statement there = inside.createStatement()) {
                        there.execute(handOver(owner));
                        if (service.hasOutbox() && relayTablesExist(there)) {
                            // Migrated before the relay had a role: the grants its migration skipped then. Not left to the
                            // service's next start, whose repeatable migration re-runs only once its timestamp has moved on.
                            there.execute(relayGrants());
                        }
                    }
                }
                statement.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
                if (service.hasOutbox()) {
                    statement.execute("GRANT CONNECT ON DATABASE " + database + " TO " + RELAY);
                }
            }
        }
    }

    /** platform-messaging's own statement of what the relay may do in a service's database (R__relay_grants.sql). */
    private static String relayGrants() {
        try (var in = DatabaseRoles.class.getClassLoader().getResourceAsStream("db/messaging/R__relay_grants.sql")) {
            if (in == null) {
                throw new IllegalStateException("db/messaging/R__relay_grants.sql (platform-messaging) is not on the CLI's classpath");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static void role(Connection admin, String role, String replication, Map<String, String> passwords) throws SQLException {
        String password = passwords.get(role);
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("no password for the database role " + role);
        }
        String attributes = " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS " + replication + " PASSWORD '"
                + password.replace("'", "''") + "'";
        try (Statement statement = admin.createStatement()) {
            statement.execute((exists(admin, "select 1 from pg_roles where rolname = ?", name(role)) ? "ALTER ROLE " : "CREATE ROLE ")
                    + role + attributes);
        }
    }

    /**
     * SQL that gives {@code owner} the public schema and every relation, sequence, function, type and publication in
     * it that someone else owns: a database the superuser created and migrated before the services had roles.
     * Sequences that belong to a table move with it; what belongs to an extension stays.
     */
    static String handOver(String owner) {
        String role = "'" + name(owner) + "'";
        return """
                do $$
                declare
                    owner_role text := %s;
                    item record;
                begin
                    execute format('alter schema public owner to %%I', owner_role);
                    for item in select c.oid::regclass::text as name, c.relkind from pg_class c
                                join pg_namespace n on n.oid = c.relnamespace
                                where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')
                                  and pg_get_userbyid(c.relowner) <> owner_role
                                  and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                                                  and d.objid = c.oid and d.deptype = 'e') loop
                        execute format('alter %%s %%s owner to %%I', case item.relkind when 'v' then 'view'
                            when 'm' then 'materialized view' when 'f' then 'foreign table' else 'table' end, item.name, owner_role);
                    end loop;
                    for item in select c.oid::regclass::text as name from pg_class c
                                join pg_namespace n on n.oid = c.relnamespace
                                where n.nspname = 'public' and c.relkind = 'S' and pg_get_userbyid(c.relowner) <> owner_role
                                  and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                                                  and d.objid = c.oid and d.deptype in ('a', 'i', 'e')) loop
                        execute format('alter sequence %%s owner to %%I', item.name, owner_role);
                    end loop;
                    for item in select p.oid::regprocedure::text as name from pg_proc p
                                join pg_namespace n on n.oid = p.pronamespace
                                where n.nspname = 'public' and p.prokind in ('f', 'p') and pg_get_userbyid(p.proowner) <> owner_role
                                  and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass
                                                  and d.objid = p.oid and d.deptype = 'e') loop
                        execute format('alter routine %%s owner to %%I', item.name, owner_role);
                    end loop;
                    for item in select t.oid::regtype::text as name, t.typtype from pg_type t
                                join pg_namespace n on n.oid = t.typnamespace
                                where n.nspname = 'public' and t.typtype in ('e', 'd', 'r') and pg_get_userbyid(t.typowner) <> owner_role
                                  and not exists (select 1 from pg_depend d where d.classid = 'pg_type'::regclass
                                                  and d.objid = t.oid and d.deptype = 'e') loop
                        execute format('alter %%s %%s owner to %%I', case item.typtype when 'd' then 'domain' else 'type' end,
                            item.name, owner_role);
                    end loop;
                    for item in select pubname from pg_publication where pg_get_userbyid(pubowner) <> owner_role loop
                        execute format('alter publication %%I owner to %%I', item.pubname, owner_role);
                    end loop;
                end
                $$""".formatted(role);
    }

    private static boolean relayTablesExist(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("select to_regclass('outbox') is not null"
                + " and to_regclass('relay_heartbeat') is not null and to_regclass('relay_offsets') is not null")) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    private static boolean exists(Connection connection, String sql, String value) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, value);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Role and database names go into SQL unquoted: only plain lower-case identifiers. */
    private static String name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain PostgreSQL name: " + name);
        }
        return name;
    }
}
