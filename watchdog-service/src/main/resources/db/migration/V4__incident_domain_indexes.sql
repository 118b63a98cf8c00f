-- An event finds its guest's open incident by domain name or UUID on its hypervisor: without these, every event of
-- a busy hypervisor scanned all of its recent incidents.
create index incident_hv_domain_name on incident (hypervisor, domain_name, last_seen_at);
create index incident_hv_domain_uuid on incident (hypervisor, domain_uuid, last_seen_at);
-- Incidents waiting for the inventory to learn their domain, looked up as each VM state arrives.
create index incident_waiting_name on incident (domain_name) where vm_key is null;
create index incident_waiting_uuid on incident (domain_uuid) where vm_key is null;
