-- One money type across the platform: numeric(19, 2), as order totals are. An order's total can reach
-- 100 lines x 1000 x the largest price (numeric(12, 2)) = about 1e15, which numeric(14, 2) could not hold:
-- the payment insert failed and the order's OrderCreated went to the dead-letter topic instead of a decline.
alter table payment alter column amount type numeric(19, 2);
alter table customer alter column credit_limit type numeric(19, 2);
alter table customer alter column available_credit type numeric(19, 2);
