-- The Kafka key of an outbox event, stored with it so that the relay sends the stored JSON as it is, without reading
-- it back into its record first. Rows written before this column existed have none: the relay derives it then.
alter table outbox_event add column if not exists record_key varchar(512);
