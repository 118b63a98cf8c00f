-- Two indexes every VM interval insert and close paid for, that no query could use:
-- * vm_interval_name on lower(vm_name): the search matches '%term%', which a B-tree cannot serve;
-- * vm_interval_time on (valid_from, valid_to): the inventory export as of T reads every interval with
--   valid_from <= T, most of the table for any recent T, which PostgreSQL reads sequentially anyway. The plan, the
--   host and the lineage queries use vm_interval_host_time, vm_interval_vm_time and vm_interval_open.
drop index if exists vm_interval_name;
drop index if exists vm_interval_time;
