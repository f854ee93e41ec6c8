-- Stands in for a service's business table: what a handler changed.
create table test_effect (
    message_id uuid        not null,
    order_id   uuid        not null,
    applied_at timestamptz not null default clock_timestamp()
);
