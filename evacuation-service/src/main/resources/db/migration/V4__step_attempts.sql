-- Every attempt of every step of a run: when it started and ended, how it ended, and its progress line.
create table recovery_step_attempt (
    id          bigserial primary key,
    run_id      uuid         not null references recovery_run (id),
    step        varchar(40)  not null,
    attempt     integer      not null,
    started_at  timestamptz  not null,
    ended_at    timestamptz,
    outcome     varchar(20),
    detail      varchar(2000)
);
create index recovery_step_attempt_run on recovery_step_attempt (run_id, id);
