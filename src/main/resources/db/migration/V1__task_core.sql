-- The task core: agents and their keys, tasks, dependencies, comments and the event log.
-- Enumerations and lengths are CHECK constraints so that no code path can store what the API refuses.

CREATE TABLE agents (
    id                         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                       text        NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9-]{1,31}$'),
    role                       text        NOT NULL CHECK (role IN ('operator', 'orchestrator', 'worker', 'observer')),
    description                text        CHECK (char_length(description) <= 4096),
    heartbeat_interval_seconds integer     NOT NULL DEFAULT 3600 CHECK (heartbeat_interval_seconds BETWEEN 1 AND 604800),
    capabilities               text[]      NOT NULL DEFAULT '{}',
    wip_limit                  integer     CHECK (wip_limit >= 0),
    state                      text        NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'unresponsive', 'killed')),
    state_reason               text        CHECK (char_length(state_reason) <= 4096),
    killed_at                  timestamptz,
    created_by                 text,
    created_at                 timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id         text        PRIMARY KEY,
    agent_id   bigint      NOT NULL REFERENCES agents (id),
    key_hash   bytea       NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);
CREATE INDEX api_keys_agent ON api_keys (agent_id);

CREATE TABLE tasks (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title             text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    description       text        CHECK (char_length(description) <= 65536),
    status            text        NOT NULL DEFAULT 'todo'
                                  CHECK (status IN ('todo', 'in_progress', 'in_review', 'blocked', 'done', 'failed', 'canceled')),
    priority          text        NOT NULL DEFAULT 'medium' CHECK (priority IN ('critical', 'high', 'medium', 'low')),
    -- The list order is "priority, then oldest first"; a stored rank makes it one index.
    priority_rank     smallint    GENERATED ALWAYS AS (CASE priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1
                                                                     WHEN 'medium' THEN 2 ELSE 3 END) STORED,
    assignee          text        REFERENCES agents (name),
    created_by        text        NOT NULL REFERENCES agents (name),
    labels            text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(labels) <= 32),
    attempt           integer     NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    max_attempts      integer     NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 100),
    retry_of          bigint      REFERENCES tasks (id),
    result            text        CHECK (char_length(result) <= 65536),
    needs_attention   boolean     NOT NULL DEFAULT false,
    attention_reason  text        CHECK (attention_reason IN ('lease-expired', 'stale-blocked')),
    attention_since   timestamptz,
    lease_expires_at  timestamptz,
    lease_epoch       bigint      NOT NULL DEFAULT 0,
    blocked_at        timestamptz,
    comment_count     integer     NOT NULL DEFAULT 0,
    version           bigint      NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    completed_at      timestamptz,
    CHECK (needs_attention = (attention_reason IS NOT NULL))
);
-- One index per list shape: the default order, by assignee, by status, by creator.
CREATE INDEX tasks_order ON tasks (priority_rank, id);
CREATE INDEX tasks_assignee_order ON tasks (assignee, priority_rank, id);
CREATE INDEX tasks_status_order ON tasks (status, priority_rank, id);
CREATE INDEX tasks_created_by ON tasks (created_by, priority_rank, id);
CREATE INDEX tasks_labels ON tasks USING gin (labels);
CREATE INDEX tasks_attention ON tasks (priority_rank, id) WHERE needs_attention;
CREATE INDEX tasks_updated_at ON tasks (updated_at);

CREATE TABLE task_dependencies (
    task_id    bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    depends_on bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, depends_on),
    CHECK (task_id <> depends_on)
);
CREATE INDEX task_dependencies_reverse ON task_dependencies (depends_on);

CREATE TABLE comments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id    bigint      NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    author     text        NOT NULL,
    body       text        NOT NULL CHECK (char_length(body) BETWEEN 1 AND 16384),
    system     boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_task ON comments (task_id, id);
-- "Did this agent comment on this task lately?" (the blocking rule).
CREATE INDEX comments_task_author ON comments (task_id, author, created_at);

-- The event log: one row per change, written in the change's transaction. Ids are handed out under an
-- advisory lock held to commit (see EventLog), so they become visible in id order: a cursor never skips.
CREATE TABLE events (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type    text        NOT NULL,
    at      timestamptz NOT NULL DEFAULT now(),
    actor   text,
    task_id bigint,
    agent   text,
    data    jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX events_task ON events (task_id, id) WHERE task_id IS NOT NULL;
CREATE INDEX events_agent ON events (agent, id) WHERE agent IS NOT NULL;
CREATE INDEX events_at ON events (at);
