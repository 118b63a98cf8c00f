-- Calls of a move that did not take effect (no answer and not received, or the VM still down after a start), and
-- failures before the call: each is retried after a backoff, and the move ends FAILED when they run out.
alter table instance_move add column call_retries integer not null default 0;
