-- The tables the event pipeline keeps in every service's schema, versioned apart from the service's own migrations
-- (history table lifeboat_support_history). Written to apply to a schema that already has some of them: every
-- service's own V1 created processed_event, and the evacuation-service's V2 an earlier outbox_event.

-- Events already applied, by CloudEvents id (a tombstone by its topic position): consumers are idempotent.
create table if not exists processed_event (
    event_id     varchar(128) primary key,
    event_type   varchar(128) not null,
    processed_at timestamptz  not null
);
-- Purged past the topics' retention, oldest first.
create index if not exists processed_event_at on processed_event (processed_at);

-- Events written in the transaction that made them true, published after it commits (a transactional outbox).
create table if not exists outbox_event (
    id         bigserial primary key,
    event_id   varchar(64)  not null,
    type       varchar(128) not null,
    source     varchar(255) not null,
    event_time timestamptz  not null,
    payload    text         not null
);
alter table outbox_event add column if not exists created_at  timestamptz not null default clock_timestamp();
-- A row that cannot be published (unknown type, unreadable payload, refused by the broker as too large) is set
-- aside with its reason, so that the rows after it go on.
alter table outbox_event add column if not exists parked_at   timestamptz;
alter table outbox_event add column if not exists park_reason text;
create index if not exists outbox_event_pending on outbox_event (id) where parked_at is null;

-- Operators' replays of dead letters (audit).
create table if not exists dead_letter_replay (
    id          bigserial primary key,
    requested_at timestamptz  not null,
    actor       varchar(255) not null,
    topic       varchar(255) not null,
    since       timestamptz,
    found       integer      not null,
    replayed    integer      not null,
    detail      text
);
