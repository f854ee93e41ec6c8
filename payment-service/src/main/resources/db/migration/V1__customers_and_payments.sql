create table customer (
    customer_id      varchar(100)  primary key,
    name             varchar(200)  not null,
    credit_limit     numeric(14, 2) not null check (credit_limit >= 0),
    available_credit numeric(14, 2) not null,
    version          bigint        not null default 0,
    -- Money invariant at the row level: credit is never negative and never above the limit.
    constraint available_credit_in_range check (available_credit >= 0 and available_credit <= credit_limit)
);

-- One payment per order: the primary key makes "authorize this order" idempotent as a business rule,
-- whatever message asked for it.
create table payment (
    order_id      uuid          primary key,
    customer_id   varchar(100)  not null,
    amount        numeric(14, 2) not null,
    status        varchar(20)   not null check (status in ('AUTHORIZED', 'DECLINED', 'REFUNDED', 'VOIDED')),
    reason        varchar(40),
    reason_detail varchar(500),
    charge_id     uuid,
    created_at    timestamptz   not null default clock_timestamp(),
    updated_at    timestamptz   not null default clock_timestamp(),
    version       bigint        not null default 0
);

create index payment_customer_idx on payment (customer_id);
