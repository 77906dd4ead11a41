-- Usage, cost and budgets. Money is numeric (exact), never floating point: at most 6 decimals, as on the wire.

-- Every usage report as it was sent: the increments of one heartbeat or task PATCH. The task (one attempt: a retry
-- is a task of its own) is null for a heartbeat that named none. Velocity's cost numbers are sums over this table.
CREATE TABLE usage_reports (
    id            bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agent_id      bigint        NOT NULL REFERENCES agents (id),
    task_id       bigint        REFERENCES tasks (id),
    input_tokens  bigint        NOT NULL CHECK (input_tokens >= 0),
    output_tokens bigint        NOT NULL CHECK (output_tokens >= 0),
    cost_usd      numeric(20,6) NOT NULL CHECK (cost_usd >= 0),
    model         text          CHECK (char_length(model) BETWEEN 1 AND 100),
    reported_at   timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX usage_reports_at ON usage_reports (reported_at);
CREATE INDEX usage_reports_agent_at ON usage_reports (agent_id, reported_at);
CREATE INDEX usage_reports_task ON usage_reports (task_id) WHERE task_id IS NOT NULL;

-- Cumulative usage per task and per agent (kept with each report, so reads need no sums).
CREATE TABLE task_usage (
    task_id       bigint        PRIMARY KEY REFERENCES tasks (id),
    input_tokens  bigint        NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
    output_tokens bigint        NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
    cost_usd      numeric(20,6) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0)
);
CREATE TABLE agent_usage (
    agent_id      bigint        PRIMARY KEY REFERENCES agents (id),
    input_tokens  bigint        NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
    output_tokens bigint        NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
    cost_usd      numeric(20,6) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0)
);

-- Budgets: one per agent (agent_id set) and at most one for the whole system (agent_id null). A report locks the
-- budgets it counts against (FOR UPDATE), so the check is serialised per budget across instances. spent_usd is the
-- cost reported since period_start (UTC day or month); warned and exhausted are per period.
CREATE TABLE budgets (
    id           bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agent_id     bigint        UNIQUE REFERENCES agents (id),
    cost_usd     numeric(20,6) NOT NULL CHECK (cost_usd > 0),
    period       text          NOT NULL CHECK (period IN ('day', 'month')),
    period_start timestamptz   NOT NULL,
    spent_usd    numeric(20,6) NOT NULL DEFAULT 0 CHECK (spent_usd >= 0),
    warned       boolean       NOT NULL DEFAULT false,
    exhausted    boolean       NOT NULL DEFAULT false,
    updated_by   text          NOT NULL,
    updated_at   timestamptz   NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX budgets_one_system ON budgets ((true)) WHERE agent_id IS NULL;
