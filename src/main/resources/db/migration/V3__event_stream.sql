-- The real-time event stream: who may see each event, and how far the log has been pruned.

-- The agents an event concerns, fixed when it is written (EventLog): the agent it is about, the task's assignee at
-- that moment and, for task.assigned, the previous assignee (so that the loser learns it lost the task).
-- A worker sees the events whose audience contains it; `?assignee=` filters on it for everyone.
ALTER TABLE events ADD COLUMN audience text[] NOT NULL DEFAULT '{}';

UPDATE events e SET audience = array_remove(ARRAY[
        e.agent,
        CASE WHEN e.data ? 'task' THEN e.data -> 'task' ->> 'assignee'
             ELSE (SELECT t.assignee FROM tasks t WHERE t.id = e.task_id) END,
        CASE WHEN e.type = 'task.assigned' THEN e.data ->> 'from' END], NULL);

CREATE INDEX events_audience ON events USING gin (audience);

-- Retention: the highest event id ever deleted. A cursor below it may have missed events: 410 cursor-expired.
CREATE TABLE events_pruned (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    through_id bigint  NOT NULL DEFAULT 0
);
INSERT INTO events_pruned DEFAULT VALUES;
