-- What the live domain XML says, where a libvirt connection reads it (wire-formats.md E.3).
alter table vm_ref add column xml_watchdog_model  varchar(32);
alter table vm_ref add column xml_watchdog_action varchar(16);
alter table vm_ref add column xml_panic           boolean;
alter table vm_ref add column xml_checked_at      timestamptz;

-- The domains each hypervisor has, as its libvirt connection or its agent last listed them.
create table hypervisor_domain (
    hypervisor    varchar(255) not null,
    domain_key    varchar(255) not null,   -- the UUID when known, else the name
    domain_uuid   varchar(64),
    domain_name   varchar(255),
    state         varchar(32),
    first_seen_at timestamptz  not null,
    last_seen_at  timestamptz  not null,
    via           varchar(16)  not null,
    primary key (hypervisor, domain_key)
);
