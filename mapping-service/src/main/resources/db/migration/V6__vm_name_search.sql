-- Search by VM name without scanning the history: every name each VM has had, once. It is written when a VM is first
-- seen or renamed, so ingestion almost never touches it (the history has a row per change, millions of them).
create table vm_name (
    vm_key        varchar(320) not null,
    vm_name       varchar(255) not null,
    first_seen_at timestamptz  not null,
    primary key (vm_key, vm_name)
);
insert into vm_name (vm_key, vm_name, first_seen_at)
select vm_key, vm_name, min(valid_from) from vm_interval group by vm_key, vm_name;

-- A trigram index serves name fragments ('%term%', 3 characters or more). pg_trgm ships with PostgreSQL's contrib and
-- is a trusted extension: a role with CREATE on the database may create it. Where it cannot be created, the search
-- reads vm_name (one row per VM and name) and the hosts' names without an index, and says so once here.
do $$
begin
    create extension if not exists pg_trgm;
    create index vm_name_trgm on vm_name using gin (lower(vm_name) gin_trgm_ops);
    create index host_interval_name_trgm on host_interval using gin (lower(host_name) gin_trgm_ops);
exception when others then
    raise notice 'no trigram index for the name search (% %): it reads vm_name without one', sqlstate, sqlerrm;
end $$;
