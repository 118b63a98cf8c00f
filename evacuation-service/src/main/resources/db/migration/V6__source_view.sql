-- Each source's host list as its collector last saw it complete (a collection cycle that did not fail). A partition
-- verdict ("more than half of the hosts down at once") is only made on a complete view: a service that starts on an
-- empty database and first sees one down host must not call that "1 of 1 hosts down".
create table source_view (
    source_id           varchar(100) primary key,
    hosts               integer      not null,
    cycle_outcome       varchar(16)  not null,
    cycle_finished_at   timestamptz  not null
);
