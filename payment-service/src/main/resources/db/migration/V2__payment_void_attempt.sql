-- Orders whose charge key a void was sent for while their charge's outcome was unknown (gateway
-- unavailable). Written in its own transaction before the void goes out, so it survives the rollback
-- of the handler's transaction: such an order is never charged again (a void still on its way could
-- refund the new charge), only voided and declined.
create table payment_void_attempt (
    order_id     uuid        primary key,
    attempted_at timestamptz not null default clock_timestamp()
);
