-- A host that fails again and again (3 episodes within an hour by default) is quarantined at the last one: it is
-- fenced and left off, and its recovery waits for an operator instead of starting by itself.
alter table host_failure add column quarantined boolean not null default false;
