-- One money type across the platform: numeric(19, 2), as order totals and payments are.
alter table charge alter column amount type numeric(19, 2);
alter table charge alter column refunded_amount type numeric(19, 2);
alter table refund alter column amount type numeric(19, 2);
