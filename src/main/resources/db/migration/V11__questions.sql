-- Questions (API.md "Questions"): an agent asks about a task, someone answers, the task goes back to where it was.

CREATE TABLE questions (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id         bigint      NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    asked_by        text        NOT NULL,
    -- 'human', 'orchestrator', or an agent's name (to_kind says which).
    addressed_to    text        NOT NULL CHECK (addressed_to ~ '^[a-z][a-z0-9-]{1,31}$'),
    to_kind         text        NOT NULL CHECK (to_kind IN ('human', 'orchestrator', 'agent')),
    question        text        NOT NULL CHECK (char_length(question) BETWEEN 1 AND 4096 AND btrim(question) <> ''),
    options         text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(options) <= 10),
    state           text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered')),
    -- The status the task returns to when the question is answered (and no other question is open on it).
    previous_status text        NOT NULL CHECK (previous_status IN ('todo', 'in_progress', 'blocked')),
    asked_at        timestamptz NOT NULL DEFAULT now(),
    answer          text        CHECK (char_length(answer) BETWEEN 1 AND 16384),
    choice          text,
    answered_by     text,
    answered_at     timestamptz,
    CHECK ((state = 'answered') = (answered_at IS NOT NULL AND answered_by IS NOT NULL AND answer IS NOT NULL))
);
-- The inbox (open questions, oldest first), a task's questions, and the stale-question scan.
CREATE INDEX questions_open ON questions (to_kind, addressed_to, id) WHERE state = 'open';
CREATE INDEX questions_open_age ON questions (asked_at) WHERE state = 'open';
CREATE INDEX questions_task ON questions (task_id, id);
CREATE INDEX questions_answered_at ON questions (answered_at) WHERE state = 'answered';

ALTER TABLE tasks DROP CONSTRAINT tasks_attention_reason_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_attention_reason_check
    CHECK (attention_reason IN ('lease-expired', 'stale-blocked', 'unanswered-question'));
