-- Stock of a SKU is split into what can still be reserved and what orders hold; onHand is their sum
-- and is derived, never stored, so the two can never disagree with a third number.
create table products (
    sku       varchar(64)   primary key,
    name      varchar(200)  not null,
    price     numeric(12, 2) not null constraint products_price_not_negative check (price >= 0),
    available integer       not null constraint products_available_not_negative check (available >= 0),
    reserved  integer       not null constraint products_reserved_not_negative check (reserved >= 0)
);

-- One row per order that ever asked for or released stock. The primary key is what makes a second
-- reserve for the same order (a re-sent command, a duplicated event) answer instead of reserve.
create table reservations (
    order_id      uuid        primary key,
    status        varchar(16) not null
        constraint reservations_status_known check (status in ('RESERVED', 'RELEASED', 'REJECTED')),
    reason        varchar(32),
    reason_detail text,
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);

-- Lines of a reservation, one per SKU. No foreign key to products: a rejected order keeps the lines it
-- asked for, unknown SKUs included, for operators to see why.
create table reservation_lines (
    order_id uuid        not null references reservations (order_id) on delete cascade,
    sku      varchar(255) not null,
    quantity integer     not null constraint reservation_lines_quantity_positive check (quantity > 0),
    primary key (order_id, sku)
);
