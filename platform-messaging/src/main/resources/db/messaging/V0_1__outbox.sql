-- Transactional outbox. Column names follow Debezium's outbox EventRouter defaults
-- (id, aggregatetype, aggregateid, type, payload) so the relay needs no column mapping.
-- payload is jsonb, never a bounded varchar: a size cap there silently breaks large sagas.
create table outbox (
    id             uuid         primary key,
    aggregatetype  varchar(255) not null,
    aggregateid    varchar(255) not null,
    type           varchar(255) not null,
    schema_version integer      not null,
    payload        jsonb        not null,
    traceparent    varchar(55),
    created_at     timestamptz  not null default clock_timestamp()
);

-- Retention cleanup deletes by age in batches.
create index outbox_created_at_idx on outbox (created_at);
