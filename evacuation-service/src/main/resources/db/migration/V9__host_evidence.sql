-- Independent evidence per host (detection): each change of a probe's reading, with its time, so that an episode shows
-- what made it suspected and confirmed. Only changes are written (a reading that stays the same is not), so the
-- table grows with events, not with the probe interval.
create table host_evidence (
    id          bigserial     primary key,
    host_key    varchar(320)  not null,
    kind        varchar(20)   not null,
    reading     varchar(20)   not null,
    detail      varchar(1000) not null,
    at          timestamptz   not null
);
create index host_evidence_by_host on host_evidence (host_key, at);

-- The host's management address, for the reachability probe (oVirt: the host's address; Nova: the hypervisor's
-- host_ip).
alter table host_view add column address varchar(255);

-- The episode's first piece of evidence (earlier than its suspicion when probes had to agree first).
alter table host_failure add column first_evidence_at timestamptz;
