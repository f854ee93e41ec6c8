-- Inbox of an idempotent consumer: one row per (consumer, message) applied, inserted in the same
-- transaction as the message's effect. The primary key is what turns a racing duplicate delivery
-- into a no-op: the second insert waits for the first transaction and then conflicts.
create table processed_message (
    consumer     varchar(200) not null,
    message_id   uuid         not null,
    message_type varchar(255) not null,
    processed_at timestamptz  not null default clock_timestamp(),
    primary key (consumer, message_id)
);

create index processed_message_processed_at_idx on processed_message (processed_at);
