-- Every record the console saw on a saga topic or a dead-letter topic, once: (topic, partition, offset) is the record's
-- own identity, so a redelivery to the console's consumer inserts nothing, while a replayed dead letter (a new record
-- with the same event id) is a new line on the timeline.
create table observed_message (
    id             bigserial primary key,
    topic          text        not null,
    partition_no   integer     not null,
    offset_no      bigint      not null,
    record_key     text,
    order_id       uuid,
    event_id       text,
    event_type     text,
    causation_id   text,
    trace_id       text,
    sender         text,
    -- The command a reply answers (SagaReply's commandType), so a reply's attempts are counted per step.
    answers        text,
    outcome        text        not null,
    record_time    timestamptz not null,
    observed_at    timestamptz not null default now(),
    original_topic text,
    consumer_group text,
    error          text,
    headers        jsonb       not null,
    payload        text,
    constraint observed_message_record unique (topic, partition_no, offset_no)
);
create index observed_message_order on observed_message (order_id, record_time, id);
create index observed_message_event on observed_message (event_id);
create index observed_message_dead_letters on observed_message (record_time) where original_topic is not null;

-- Each order as its messages tell it, kept up to date as they arrive, for the list and its filters.
create table order_summary (
    order_id       uuid primary key,
    customer_id    text,
    flow           text,
    state          text        not null,
    reason         text,
    total          numeric(19, 2),
    saga_id        uuid,
    created_at     timestamptz not null,
    last_message_at timestamptz not null,
    messages       integer     not null default 0,
    compensations  integer     not null default 0,
    dead_letters   integer     not null default 0,
    trace_id       text
);
create index order_summary_created on order_summary (created_at desc);
create index order_summary_state on order_summary (state, last_message_at);
