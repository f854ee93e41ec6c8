-- Money to give back at the gateway: the refund of a charge, or the void of a charge key whose charge's
-- outcome is unknown. Inserted in the transaction that decides it (with the payment's new state and the
-- customer's credit) and sent afterwards by GatewayReturns, which retries until the gateway confirms; a
-- gateway outage therefore never holds a Kafka partition, and no return is lost by a crash.
create table gateway_return (
    order_id        uuid           primary key,
    kind            varchar(8)     not null check (kind in ('REFUND', 'VOID')),
    amount          numeric(19, 2) not null check (amount >= 0),
    attempts        integer        not null default 0,
    -- Due now, or leased by a sender until then (a sender that dies mid-call leaves the row due again later).
    next_attempt_at timestamptz    not null default clock_timestamp(),
    -- The gateway answered 4xx: retried at a slow pace until an operator fixes the cause, and alerted on.
    refused         boolean        not null default false,
    last_error      varchar(1000),
    created_at      timestamptz    not null default clock_timestamp()
);

create index gateway_return_due_idx on gateway_return (next_attempt_at);

-- Replaced: a void is no longer sent from the consumer's transaction, so nothing needs to survive its rollback.
-- Every order listed here was voided before its decline committed.
drop table payment_void_attempt;
