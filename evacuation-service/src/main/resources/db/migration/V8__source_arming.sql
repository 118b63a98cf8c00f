-- A per-source switch an operator turns off for maintenance: a disarmed source's failures are tracked and shown, but
-- nothing is fenced or recovered (Proxmox's 2026 disarm switch, vSphere HA's host monitoring off). No row: armed.
create table source_arming (
    source_id    varchar(100)  primary key,
    armed        boolean       not null,
    changed_at   timestamptz   not null,
    changed_by   varchar(255)  not null,
    reason       varchar(1000)
);
