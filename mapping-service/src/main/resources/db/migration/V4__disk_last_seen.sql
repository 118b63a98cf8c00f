-- An open disk interval is no longer rewritten on every observation of its VM (every observation lists all the VM's
-- disks, so while it is open it was last seen when its VM was): its last_seen_at is set when it opens and brought up
-- to the VM's last observation when it closes.
comment on column vm_disk_interval.last_seen_at is
    'last observation listing the disk unchanged; for an open interval, see the VM''s open vm_interval.last_seen_at';
