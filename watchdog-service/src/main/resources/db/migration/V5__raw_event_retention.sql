-- Raw events are purged past their retention (lifeboat.retention.tables.raw_event), oldest first.
create index raw_event_received on raw_event (received_at);
