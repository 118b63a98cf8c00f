-- Events already applied, by CloudEvents id: consumers are idempotent (redelivery and replay change nothing).
create table processed_event (
    event_id     varchar(128) primary key,
    event_type   varchar(128) not null,
    processed_at timestamptz  not null
);
