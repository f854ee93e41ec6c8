-- Admission control counts, every 100 ms, the orders still in flight and those that ended in the last
-- few seconds (AdmissionMonitor). Both counts then read only those few rows through an index.
create index orders_pending_idx on orders (created_at) where status = 'PENDING';
create index orders_updated_idx on orders (updated_at);
