-- Orchestration: claims, leases, self-resolving blockages, retries and heartbeats.

-- The claim's ORDER BY exactly, over the only rows a claim can take: "SELECT ... WHERE status = 'todo'
-- ORDER BY priority_rank, id LIMIT 1 FOR UPDATE SKIP LOCKED" walks this index from its start.
CREATE INDEX tasks_claim ON tasks (priority_rank, id) WHERE status = 'todo';

-- "How many tasks does this agent hold?": the WIP limit (claims, moves into in_progress) and the agent view.
CREATE INDEX tasks_in_progress_by_assignee ON tasks (assignee) WHERE status = 'in_progress';

-- The scheduler's scans: expired leases, long blockages.
CREATE INDEX tasks_lease_expiry ON tasks (lease_expires_at) WHERE status = 'in_progress';
CREATE INDEX tasks_blocked_since ON tasks (blocked_at) WHERE status = 'blocked';

-- "blockedOn": the tasks whose completion returns a blocked task to todo by itself (they are also in
-- task_dependencies). Meaningful only while status = 'blocked'; every status change clears it.
ALTER TABLE tasks ADD COLUMN blocked_on bigint[];

-- A failed task is retried at most once; its retry is found by this index (and metrics count retries with it).
CREATE UNIQUE INDEX tasks_retry_of ON tasks (retry_of) WHERE retry_of IS NOT NULL;

-- Liveness, kept apart from the agents row: each heartbeat upserts the agent's one row here, so frequent
-- heartbeats never contend with reads and writes of agents (keys, kill switch, task counts). The scheduler
-- adds a row (last_at NULL: never heartbeated) for agents that have none, so that it can always lock the row it
-- judges and a concurrent heartbeat either waits for its verdict or makes it look again.
CREATE TABLE agent_heartbeats (
    agent_id bigint      PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
    last_at  timestamptz,
    status   text        CHECK (status IN ('idle', 'working')),
    task_id  bigint,
    note     text        CHECK (char_length(note) <= 1024)
);
