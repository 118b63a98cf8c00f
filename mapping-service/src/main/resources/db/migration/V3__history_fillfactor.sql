-- Most writes to the history extend an open interval (last_seen_at, which no index holds). With room left in each
-- page PostgreSQL makes those heap-only (HOT) updates, without touching the indexes; full pages forced every one of
-- them to write every index (8 % were HOT before). Pages written from now on keep a fifth free.
alter table vm_interval set (fillfactor = 80);
alter table vm_disk_interval set (fillfactor = 80);
alter table host_interval set (fillfactor = 80);
alter table storage_domain_lun_interval set (fillfactor = 80);
