-- The inventory's VMs as far as incidents need them: how a libvirt domain maps to a VM, and its watchdog.
create table vm_ref (
    vm_key          varchar(300) primary key,
    source_id       varchar(100) not null,
    platform        varchar(16)  not null,
    vm_id           varchar(200) not null,
    name            varchar(255) not null,
    -- The libvirt domain name: Nova's OS-EXT-SRV-ATTR:instance_name (instance-XXXXXXXX); oVirt names the domain
    -- after the VM.
    domain_name     varchar(255) not null,
    host_key        varchar(300),
    host_name       varchar(255),
    cluster_id      varchar(200),
    cluster_name    varchar(255),
    status          varchar(32)  not null,
    deletion_state  varchar(16)  not null,
    deleted_at      timestamptz,
    reclaim_at      timestamptz,
    watchdog_model  varchar(32),
    watchdog_action varchar(16),
    watchdog_source varchar(32),
    removed         boolean      not null default false,
    observed_at     timestamptz  not null
);
create index vm_ref_vm_id on vm_ref (lower(vm_id));
create index vm_ref_domain_name on vm_ref (domain_name);

-- Every raw libvirt event taken in, whatever way it came.
create table raw_event (
    id               varchar(64)  primary key,
    hypervisor       varchar(255) not null,
    host_key         varchar(300),
    domain_uuid      varchar(64),
    domain_name      varchar(255),
    kind             varchar(32)  not null,
    lifecycle_type   varchar(32),
    lifecycle_detail varchar(64),
    watchdog_action  varchar(16),
    io_src_path      varchar(255),
    io_dev_alias     varchar(64),
    io_action        varchar(16),
    io_reason        varchar(64),
    occurred_at      timestamptz  not null,
    via              varchar(16)  not null,
    raw_line         text,
    incident_id      uuid,
    received_at      timestamptz  not null
);
-- The same event sent twice (an agent and a pipe on one hypervisor, a retried batch) is taken once.
create unique index raw_event_same on raw_event (hypervisor, coalesce(domain_uuid, ''), coalesce(domain_name, ''),
    kind, coalesce(lifecycle_type, ''), coalesce(lifecycle_detail, ''), coalesce(watchdog_action, ''),
    coalesce(io_reason, ''), coalesce(io_dev_alias, ''), occurred_at);
create index raw_event_incident on raw_event (incident_id);

-- A guest crash or hang, made of one or more raw events.
create table incident (
    id            uuid primary key,
    kind          varchar(32)  not null,
    vm_key        varchar(300),
    vm_name       varchar(255),
    host_key      varchar(300),
    source_id     varchar(100),
    hypervisor    varchar(255) not null,
    domain_uuid   varchar(64),
    domain_name   varchar(255),
    action        varchar(32),
    first_seen_at timestamptz  not null,
    last_seen_at  timestamptz  not null,
    event_count   integer      not null,
    detail        text,
    version       integer      not null,
    published_version integer  not null default 0
);
create index incident_domain on incident (hypervisor, last_seen_at);
create index incident_vm on incident (vm_key, first_seen_at);
create index incident_time on incident (first_seen_at);
create index incident_unpublished on incident (id) where published_version < version;
