-- What the outbox relay (Debezium) needs in this database, created by the service that owns it so the
-- relay's role needs only REPLICATION and SELECT, never ownership of a service's tables.

-- The publication the relay's replication slot decodes: the outbox and the heartbeat table only.
create table relay_heartbeat (
    id      integer     primary key,
    beat_at timestamptz not null
);

create publication outbox_publication for table outbox, relay_heartbeat;

-- The relay's position in this database's WAL, stored next to the data it describes. Layout of
-- Debezium's JdbcOffsetBackingStore (debezium-storage-jdbc), which otherwise creates it on first use.
create table relay_offsets (
    id                varchar(36)   not null primary key,
    offset_key        varchar(1255),
    offset_val        varchar(1255),
    record_insert_ts  timestamp     not null,
    record_insert_seq integer       not null
);
