-- The failover plan (issue 13): the last published forecast per host (which of its instances would not fit anywhere if
-- it failed now), so that a change is published once, whichever replica computes it.
create table failover_forecast (
    host_key     varchar(320)  primary key,
    source_id    varchar(255)  not null,
    host_name    varchar(255)  not null,
    evacuable    integer       not null,
    unplaceable  text          not null,
    computed_at  timestamptz   not null
);

-- What a run's failover plan predicted when its instance list was made, and, once the run ended, how that compared
-- with what happened.
create table failover_prediction (
    run_id       uuid          primary key,
    host_key     varchar(320)  not null,
    predicted    text          not null,
    unplaceable  text          not null,
    computed_at  timestamptz   not null,
    outcome      text,
    compared_at  timestamptz
);
