-- Events already applied, by CloudEvents id: consumers are idempotent (redelivery and replay change nothing).
create table processed_event (
    event_id     varchar(128) primary key,
    event_type   varchar(128) not null,
    processed_at timestamptz  not null
);

-- Where each host was and what state it was in, as time intervals [valid_from, valid_to).
-- An open interval (valid_to null) is the current state; consecutive identical observations extend last_seen_at
-- instead of adding rows.
create table host_interval (
    id              bigserial primary key,
    host_key        varchar(320) not null,
    source_id       varchar(63)  not null,
    host_name       varchar(255) not null,
    cluster_id      varchar(255),
    cluster_name    varchar(255),
    status          varchar(32)  not null,
    platform_status varchar(64)  not null,
    valid_from      timestamptz  not null,
    valid_to        timestamptz,
    last_seen_at    timestamptz  not null,
    event_id        varchar(128) not null,
    constraint host_interval_valid check (valid_to is null or valid_to >= valid_from)
);

-- At most one open interval per host.
create unique index host_interval_open on host_interval (host_key) where valid_to is null;
-- "As of T" lookups: the interval of a host containing T.
create index host_interval_host_time on host_interval (host_key, valid_from desc);
create index host_interval_time on host_interval (valid_from, valid_to);
