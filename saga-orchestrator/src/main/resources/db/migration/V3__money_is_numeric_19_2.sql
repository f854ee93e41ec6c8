-- One money type across the platform: numeric(19, 2), as order totals and payments are.
alter table saga_instance alter column total type numeric(19, 2);
