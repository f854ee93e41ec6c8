-- "order" is a reserved word, hence the plural.
create table orders (
    id            uuid          primary key,
    customer_id   varchar(100)  not null,
    status        varchar(16)   not null check (status in ('PENDING', 'APPROVED', 'REJECTED')),
    reason        varchar(64),
    reason_detail varchar(1000),
    flow          varchar(16)   not null check (flow in ('CHOREOGRAPHY', 'ORCHESTRATION')),
    total         numeric(19, 2) not null check (total >= 0),
    created_at    timestamptz   not null,
    updated_at    timestamptz   not null,
    -- A final order always says why it was rejected, and only a rejected one has a reason.
    check ((status = 'REJECTED') = (reason is not null))
);

-- GET /orders filters by customer and/or status, newest first.
create index orders_customer_created_idx on orders (customer_id, created_at desc);
create index orders_status_created_idx on orders (status, created_at desc);
create index orders_created_idx on orders (created_at desc);

create table order_line (
    order_id   uuid          not null references orders (id) on delete cascade,
    line_no    integer       not null,
    sku        varchar(64)   not null,
    quantity   integer       not null check (quantity between 1 and 1000),
    unit_price numeric(19, 2) not null check (unit_price >= 0),
    line_total numeric(19, 2) not null,
    primary key (order_id, line_no),
    unique (order_id, sku)
);

-- HTTP Idempotency-Key of POST /orders. A row is claimed IN_PROGRESS in its own short transaction
-- (the primary key decides races) and turned COMPLETED, with the response to replay, in the
-- transaction that inserts the order; a rejected request deletes its row.
create table idempotency_key (
    idempotency_key varchar(255) primary key,
    -- SHA-256 (hex) of the canonical parsed request: same key with another request is refused.
    fingerprint     char(64)     not null,
    state           varchar(16)  not null check (state in ('IN_PROGRESS', 'COMPLETED')),
    -- Who holds an IN_PROGRESS claim: a request whose stale claim was taken over cannot complete it.
    lock_token      uuid,
    response_status integer,
    -- The exact bytes sent the first time (text, not jsonb, which would reformat them).
    response_body   text,
    order_id        uuid         unique references orders (id),
    created_at      timestamptz  not null,
    expires_at      timestamptz  not null,
    check ((state = 'IN_PROGRESS') = (lock_token is not null)),
    check ((state = 'COMPLETED') = (response_status is not null and response_body is not null))
);

create index idempotency_key_expires_at_idx on idempotency_key (expires_at);
