-- Guard rails against runaway agents (README "Guard rails"): duplicate detection, the task-creation budget,
-- the backlog cap, and stored responses for Idempotency-Key.

-- The normalised title: case folded, punctuation dropped, runs of whitespace collapsed to one space.
-- "  Write the Parser! " and "write the parser" have the same key.
CREATE FUNCTION task_title_key(title text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT btrim(regexp_replace(regexp_replace(lower(title), '[[:punct:]]+', '', 'g'), '\s+', ' ', 'g')) $$;

-- Generated, so every way a title changes (create, PATCH) keeps the key right.
ALTER TABLE tasks ADD COLUMN title_key text GENERATED ALWAYS AS (task_title_key(title)) STORED;

-- "Is this creator's new task a duplicate of one of its open tasks?" and "how many open tasks does it have?"
-- (the predicate is the open statuses; the queries repeat it so the planner uses this partial index).
CREATE INDEX tasks_creator_open_title ON tasks (created_by, title_key)
    WHERE status IN ('todo', 'in_progress', 'in_review', 'blocked');
-- "How many tasks did this creator create in the last window?" (the creation budget).
CREATE INDEX tasks_creator_created_at ON tasks (created_by, created_at);

-- Idempotency-Key: one row per (agent, key). 'pending' while the first request runs (owner names it),
-- then 'done' with the response to replay. Rows older than olympus.idempotency.ttl are deleted by a job.
CREATE TABLE idempotency_keys (
    agent_id     bigint      NOT NULL,
    key          text        NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    fingerprint  bytea       NOT NULL,
    state        text        NOT NULL CHECK (state IN ('pending', 'done')),
    owner        uuid        NOT NULL,
    status       integer,
    headers      jsonb,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    PRIMARY KEY (agent_id, key),
    CHECK ((state = 'done') = (status IS NOT NULL))
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
