-- Where each VM was and what it looked like, as time intervals [valid_from, valid_to). A new interval opens when
-- the host, cluster, status, deletion state or the exported attributes change; identical observations extend
-- last_seen_at. At most one open interval per VM.
create table vm_interval (
    id              bigserial primary key,
    vm_key          varchar(320) not null,
    source_id       varchar(63)  not null,
    vm_name         varchar(255) not null,
    host_key        varchar(320),
    host_name       varchar(255),
    cluster_id      varchar(255),
    cluster_name    varchar(255),
    status          varchar(32)  not null,
    platform_status varchar(64)  not null,
    status_detail   varchar(255),
    deletion_state  varchar(16)  not null,
    reclaim_at      timestamptz,
    ip_addresses    varchar(2000),
    vcpus           integer,
    cpu_topology    varchar(32),
    memory_bytes    bigint,
    valid_from      timestamptz  not null,
    valid_to        timestamptz,
    last_seen_at    timestamptz  not null,
    event_id        varchar(128) not null,
    constraint vm_interval_valid check (valid_to is null or valid_to >= valid_from)
);
create unique index vm_interval_open on vm_interval (vm_key) where valid_to is null;
-- "which VMs were on host H at T": by host, then time
create index vm_interval_host_time on vm_interval (host_key, valid_from, valid_to);
create index vm_interval_vm_time on vm_interval (vm_key, valid_from desc);
create index vm_interval_time on vm_interval (valid_from, valid_to);
create index vm_interval_name on vm_interval (lower(vm_name));

-- Which disks (and LUNs) each VM had, as intervals. At most one open interval per VM and disk.
create table vm_disk_interval (
    id             bigserial primary key,
    vm_key         varchar(320) not null,
    source_id      varchar(63)  not null,
    disk_id        varchar(255) not null,
    disk_name      varchar(255),
    size_bytes     bigint,
    iface          varchar(64),
    storage_type   varchar(32)  not null,
    storage_domain varchar(255),
    bootable       boolean      not null,
    lun_id         varchar(255),
    lun_wwid       varchar(40),
    lun_vendor     varchar(64),
    lun_product    varchar(64),
    lun_serial     varchar(255),
    valid_from     timestamptz  not null,
    valid_to       timestamptz,
    last_seen_at   timestamptz  not null,
    event_id       varchar(128) not null,
    constraint vm_disk_interval_valid check (valid_to is null or valid_to >= valid_from)
);
create unique index vm_disk_interval_open on vm_disk_interval (vm_key, disk_id) where valid_to is null;
create index vm_disk_interval_vm_time on vm_disk_interval (vm_key, valid_from, valid_to);
-- "where did LUN W live": by canonical WWID
create index vm_disk_interval_wwid on vm_disk_interval (lun_wwid, valid_from) where lun_wwid is not null;

-- The LUNs behind block storage domains, as intervals: every host of the data center needs them mapped.
create table storage_domain_lun_interval (
    id            bigserial primary key,
    domain_key    varchar(320) not null,
    source_id     varchar(63)  not null,
    domain_name   varchar(255) not null,
    lun_wwid      varchar(40)  not null,
    valid_from    timestamptz  not null,
    valid_to      timestamptz,
    last_seen_at  timestamptz  not null,
    event_id      varchar(128) not null
);
create unique index storage_domain_lun_open on storage_domain_lun_interval (domain_key, lun_wwid)
    where valid_to is null;
create index storage_domain_lun_wwid on storage_domain_lun_interval (lun_wwid, valid_from);

-- Unmap plans generated (on a host failure or on request), as published.
create table unmap_plan (
    plan_id      uuid primary key,
    host_key     varchar(320) not null,
    as_of        timestamptz  not null,
    generated_at timestamptz  not null,
    trigger      varchar(255) not null,
    unmap_count  integer      not null,
    keep_count   integer      not null,
    plan         text         not null
);
create index unmap_plan_host on unmap_plan (host_key, generated_at desc);
-- One plan per trigger (a host-failure episode, a status-change event): redelivery makes no second plan.
create unique index unmap_plan_trigger on unmap_plan (trigger);
