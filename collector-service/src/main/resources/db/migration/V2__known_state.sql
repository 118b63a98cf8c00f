-- The last state the collector published for each host, VM and storage domain of each source. A cycle compares
-- what it reads with this, so that it publishes only changes, and a restarted collector does not re-announce the
-- whole estate. Updated only after Kafka acknowledged what was published.
create table known_host (
    host_key    varchar(320) primary key,
    source_id   varchar(63)  not null,
    fingerprint varchar(64)  not null,
    state       text         not null,
    updated_at  timestamptz  not null
);
create index known_host_source on known_host (source_id);

create table known_vm (
    vm_key      varchar(320) primary key,
    source_id   varchar(63)  not null,
    fingerprint varchar(64)  not null,
    state       text         not null,
    updated_at  timestamptz  not null
);
create index known_vm_source on known_vm (source_id);

create table known_storage_domain (
    domain_key  varchar(320) primary key,
    source_id   varchar(63)  not null,
    fingerprint varchar(64)  not null,
    state       text         not null,
    updated_at  timestamptz  not null
);
create index known_storage_domain_source on known_storage_domain (source_id);

-- Where each source's fast-signal feed was read up to (oVirt events index; Nova changes-since time).
create table source_cursor (
    source_id  varchar(63) primary key,
    cursor     varchar(64) not null,
    updated_at timestamptz not null
);

-- When the last full republish of a source happened.
create table source_republish (
    source_id      varchar(63) primary key,
    republished_at timestamptz not null
);
