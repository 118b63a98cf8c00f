-- One identifier pattern in every service (README, "Identifiers"; common Identifiers): an id is at most 255
-- characters and a key '<source>/<id>' at most 319. The collector and the mapping-service stored that, but these
-- columns were narrower (ids 200, keys 300), so a valid VM or host with a long id was dead-lettered here.
-- Widening a varchar rewrites no row and no index in PostgreSQL.
alter table vm_ref
    alter column vm_key type varchar(320),
    alter column vm_id type varchar(255),
    alter column host_key type varchar(320),
    alter column cluster_id type varchar(255);
alter table raw_event alter column host_key type varchar(320);
alter table incident
    alter column vm_key type varchar(320),
    alter column host_key type varchar(320);
