-- The id of the message whose handling wrote the row (its event-id), null when no message caused it: an HTTP
-- request, a deadline or retry poller, an operator. It makes "applied once" checkable from outside: the inbox
-- cannot show a second application (its primary key refuses it), but two effects of one message can, and an
-- effect whose cause has no inbox row bypassed the inbox. Nullable, so adding it rewrites no existing row.
alter table outbox add column causation_id uuid;
