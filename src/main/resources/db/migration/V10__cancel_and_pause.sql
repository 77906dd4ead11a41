-- Stopping work (API.md "Stopping work").

-- A paused agent keeps what it holds but gets no new work (claims answer 204, a manual start is refused).
ALTER TABLE agents DROP CONSTRAINT agents_state_check;
ALTER TABLE agents ADD CONSTRAINT agents_state_check CHECK (state IN ('active', 'unresponsive', 'paused', 'killed'));

-- Tasks canceled while an agent held them (in_progress), until that agent's next successful heartbeat answers
-- them in canceledTaskIds and deletes them (in the heartbeat's transaction: exactly once, on any instance).
CREATE TABLE canceled_holdings (
    agent       text        NOT NULL REFERENCES agents (name) ON UPDATE CASCADE ON DELETE CASCADE,
    task_id     bigint      NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    canceled_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agent, task_id)
);
CREATE INDEX canceled_holdings_task ON canceled_holdings (task_id);
