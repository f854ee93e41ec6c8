-- One row per orchestrated order. order_id is unique so that starting a saga is idempotent per order,
-- whatever redelivery or re-snapshot of OrderCreated the relay produces.
create table saga_instance (
    id                   uuid         primary key,
    order_id             uuid         not null unique,
    state                varchar(20)  not null
        check (state in ('STARTED', 'COMPENSATING', 'COMPLETED', 'COMPENSATED', 'STUCK')),
    current_step         varchar(100) not null,
    step_action          varchar(20)  not null check (step_action in ('INVOKE', 'COMPENSATE')),
    pending_command_id   uuid,
    pending_command_type varchar(100),
    -- A reply to the pending command is expected by then.
    step_deadline        timestamptz,
    -- The pending command is re-sent then (compensation backoff).
    next_retry_at        timestamptz,
    attempts             integer      not null check (attempts >= 0),
    -- What the poller orders and filters by: whichever of the two timers is set.
    due_at               timestamptz  generated always as (coalesce(next_retry_at, step_deadline)) stored,
    reason               varchar(50),
    reason_detail        text,
    -- The order as created: every command, including a refund minutes later, uses exactly these values.
    customer_id          varchar(255) not null,
    total                numeric      not null,
    items                jsonb        not null,
    -- Optimistic locking: every update names the version it read, so a losing writer rolls back.
    version              bigint       not null,
    created_at           timestamptz  not null,
    updated_at           timestamptz  not null
);

-- The poller's claim query: due sagas only, oldest due first.
create index saga_instance_due_idx on saga_instance (due_at) where state in ('STARTED', 'COMPENSATING');
-- Operator API filters and the saga_stuck gauge.
create index saga_instance_state_idx on saga_instance (state, created_at);

-- Append-only audit of every command sent, answered, timed out, re-sent or ignored.
create table saga_step_history (
    id           bigint       generated always as identity primary key,
    saga_id      uuid         not null references saga_instance (id),
    occurred_at  timestamptz  not null,
    step         varchar(100) not null,
    command_type varchar(100) not null,
    command_id   uuid         not null,
    outcome      varchar(30)  not null
        check (outcome in ('SENT', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'LATE_REPLY_IGNORED', 'RETRIED', 'STUCK')),
    detail       text
);

create index saga_step_history_saga_idx on saga_step_history (saga_id, id);
