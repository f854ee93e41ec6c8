-- What the outbox relay may do in this database, granted by the service that owns it. The relay connects with its own
-- role, outbox_relay (REPLICATION, no superuser), which the platform's provisioning creates before any service starts
-- (./platform up, docker/postgres/init-databases.sql, k8s/base/postgres): it decodes the publication of V0_3 (the
-- outbox and the heartbeat), so it reads the outbox, writes the heartbeat that keeps its slot moving and its own
-- position, and nothing else of this service. Where that role does not exist (tests, a relay that connects as the
-- database's owner) there is nothing to grant. Repeatable, and run at every start (its checksum changes with
-- ${flyway:timestamp}): a role created after the service first migrated gets its grants at the service's next start.
do $$
begin
    if exists (select from pg_roles where rolname = 'outbox_relay') then
        grant select on outbox to outbox_relay;
        grant select, insert, update on relay_heartbeat to outbox_relay;
        grant select, insert, delete on relay_offsets to outbox_relay;
    end if;
end
$$;
