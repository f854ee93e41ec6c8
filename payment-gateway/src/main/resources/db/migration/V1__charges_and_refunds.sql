-- Amounts are whole cents; 17 digits leave 15 before the point.
create table charge (
    charge_id       uuid           primary key,
    idempotency_key varchar(255)   not null,
    order_id        uuid           not null,
    customer_id     varchar(255)   not null,
    amount          numeric(17, 2) not null,
    refunded_amount numeric(17, 2) not null default 0,
    created_at      timestamptz    not null,
    -- The last line of defence against a double charge, whatever the application does.
    constraint charge_idempotency_key_unique unique (idempotency_key),
    constraint charge_amount_positive check (amount > 0),
    constraint charge_refunds_within_amount check (refunded_amount >= 0 and refunded_amount <= amount)
);

create index charge_order_id_idx on charge (order_id);
create index charge_customer_id_idx on charge (customer_id);
create index charge_created_at_idx on charge (created_at, charge_id);

-- A VOIDED refund has no charge: it arrived first and blocks the charge key for good.
create table refund (
    refund_id              uuid           primary key,
    idempotency_key        varchar(255)   not null,
    charge_idempotency_key varchar(255)   not null,
    charge_id              uuid           references charge (charge_id),
    amount                 numeric(17, 2) not null,
    status                 varchar(16)    not null,
    created_at             timestamptz    not null,
    constraint refund_idempotency_key_unique unique (idempotency_key),
    constraint refund_amount_positive check (amount > 0),
    constraint refund_status_known check (status in ('REFUNDED', 'VOIDED')),
    constraint refund_charge_matches_status check ((status = 'REFUNDED') = (charge_id is not null))
);

create index refund_charge_idempotency_key_idx on refund (charge_idempotency_key);
