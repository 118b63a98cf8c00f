-- One identifier pattern in every service (README, "Identifiers"; common Identifiers): an id is at most 255
-- characters and a key '<source>/<id>' at most 319. The collector and the mapping-service stored that, but these
-- columns were narrower (ids 200, keys 300), so a valid host with a long DNS name was dead-lettered here and never
-- became a host this service could recover. Widening a varchar rewrites no row and no index in PostgreSQL.
alter table host_view
    alter column host_key type varchar(320),
    alter column host_id type varchar(255),
    alter column cluster_id type varchar(255);
alter table vm_view
    alter column vm_key type varchar(320),
    alter column vm_id type varchar(255),
    alter column cluster_id type varchar(255),
    alter column host_key type varchar(320),
    alter column last_host_key type varchar(320),
    alter column running_host_key type varchar(320),
    alter column moved_from_host_key type varchar(320);
alter table host_failure alter column host_key type varchar(320);
alter table recovery_run alter column host_key type varchar(320);
alter table instance_move
    alter column vm_key type varchar(320),
    alter column vm_id type varchar(255);
alter table audit_entry alter column target type varchar(320);
