-- A recovery's plan waits until the history has caught up with the recovery: the collector observes the moved VMs
-- only at its next poll or cycle, and a plan built before that would still see them on the failed host (and keep
-- their LUNs). One row per recovery trigger, deleted when its plan is published.
create table pending_recovery_plan (
    trigger       varchar(255) primary key,
    host_key      varchar(320) not null,
    as_of         timestamptz  not null,
    recovered_at  timestamptz  not null,
    compare_with  varchar(255) not null,
    created_at    timestamptz  not null
);
