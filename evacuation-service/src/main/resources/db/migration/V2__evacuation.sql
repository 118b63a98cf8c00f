-- The inventory as the collector publishes it: what the lifecycle and the planner need, and nothing more.
create table host_view (
    host_key           varchar(300) primary key,
    source_id          varchar(100) not null,
    platform           varchar(16)  not null,
    host_id            varchar(200) not null,
    name               varchar(255) not null,
    cluster_id         varchar(200),
    status             varchar(32)  not null,
    platform_status    varchar(64)  not null,
    power_management   boolean,
    compute_service_id varchar(64),
    observed_at        timestamptz  not null
);
create index host_view_source on host_view (source_id);

create table vm_view (
    vm_key          varchar(300) primary key,
    source_id       varchar(100) not null,
    vm_id           varchar(200) not null,
    name            varchar(255) not null,
    cluster_id      varchar(200),
    host_key        varchar(300),
    -- The last host the VM was seen on: an oVirt DOWN VM that is not pinned shows no host (wire-formats.md D.6).
    last_host_key   varchar(300),
    -- The host it last ran on (running, paused, or unknown because that host was lost), and since when it is down:
    -- a VM that was already down before its host failed is not started by a recovery.
    running_host_key varchar(300),
    down_since      timestamptz,
    -- The host it ran on before it last moved while running, and when: an HA VM the engine restarted elsewhere
    -- still belongs to the failed host's recovery (as skipped).
    moved_from_host_key varchar(300),
    moved_at        timestamptz,
    status          varchar(32)  not null,
    status_detail   varchar(64),
    ha_enabled      boolean      not null,
    ha_priority     integer      not null,
    removed         boolean      not null default false,
    observed_at     timestamptz  not null
);
create index vm_view_last_host on vm_view (last_host_key);
create index vm_view_running_host on vm_view (running_host_key);
create index vm_view_moved_from on vm_view (moved_from_host_key);
create index vm_view_source on vm_view (source_id);

-- One failure episode of one host.
create table host_failure (
    id               uuid primary key,
    host_key         varchar(300) not null,
    source_id        varchar(100) not null,
    platform         varchar(16)  not null,
    host_name        varchar(255),
    phase            varchar(32)  not null,
    first_signal_at  timestamptz  not null,
    confirmed_at     timestamptz,
    fenced_at        timestamptz,
    fenced_by        varchar(255),
    recovering_at    timestamptz,
    closed_at        timestamptz,
    partition        boolean      not null default false,
    fence_attempts   integer      not null default 0,
    next_attempt_at  timestamptz,
    reason           text,
    updated_at       timestamptz  not null
);
-- Once per failure (DESIGN.md): at most one open episode per host, whatever the replicas and restarts do.
create unique index host_failure_one_open on host_failure (host_key) where closed_at is null;
create index host_failure_open on host_failure (phase) where closed_at is null;

-- A recovery of a host: the named steps of RecoveryStep, each persisted, resumable after a restart.
create table recovery_run (
    id              uuid primary key,
    episode_id      uuid references host_failure (id),
    host_key        varchar(300) not null,
    source_id       varchar(100) not null,
    platform        varchar(16)  not null,
    kind            varchar(16)  not null,           -- HOST, VM (one VM, by an operator) or STORAGE (paused VMs)
    state           varchar(32)  not null,
    step            varchar(32),
    triggered_by    varchar(255) not null,
    target_host     varchar(255),
    created_at      timestamptz  not null,
    started_at      timestamptz,
    first_call_at   timestamptz,
    last_call_at    timestamptz,
    finished_at     timestamptz,
    detail          text,
    lease_owner     varchar(255),
    lease_until     timestamptz
);
-- One active recovery per host.
create unique index recovery_run_one_active on recovery_run (host_key)
    where state in ('PLANNED', 'AWAITING_APPROVAL', 'RUNNING');
create index recovery_run_episode on recovery_run (episode_id);

-- One instance's move in a run (Masakari's vmoves).
create table instance_move (
    id                bigserial primary key,
    run_id            uuid         not null references recovery_run (id),
    vm_key            varchar(300) not null,
    vm_id             varchar(200) not null,
    vm_name           varchar(255) not null,
    action            varchar(32)  not null,
    state             varchar(16)  not null,
    ordinal           integer      not null,
    priority          integer      not null,
    attempt           integer      not null default 0,
    original_state    varchar(32),
    reset_first       boolean      not null default false,
    stop_after        boolean      not null default false,
    start_after       boolean      not null default false,
    requested_target  varchar(255),
    target_host       varchar(255),
    not_before        timestamptz,
    reason            text,
    called_at         timestamptz,
    started_at        timestamptz,
    finished_at       timestamptz,
    unique (run_id, vm_key)
);
create index instance_move_open on instance_move (run_id, state);

-- Everything done or asked: who, when, what, result.
create table audit_entry (
    id        bigserial primary key,
    at        timestamptz  not null,
    actor     varchar(255) not null,
    action    varchar(64)  not null,
    target    varchar(300) not null,
    dry_run   boolean      not null,
    result    varchar(32)  not null,
    detail    text
);
create index audit_entry_target on audit_entry (target, at);

-- Events written in the transaction that made them true, then published in order (a transactional outbox).
create table outbox_event (
    id         bigserial primary key,
    event_id   varchar(64)  not null,
    type       varchar(128) not null,
    source     varchar(255) not null,
    event_time timestamptz  not null,
    payload    text         not null
);
