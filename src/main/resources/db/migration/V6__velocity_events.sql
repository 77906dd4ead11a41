-- Velocity (GET /api/v1/metrics/velocity) is computed from the event log. Reading a year of events means reading
-- their full task snapshots (jsonb, most of the table); instead, every task.created and task.status_changed event
-- is also projected, by a trigger in the same transaction, into this narrow table holding just what velocity
-- counts. It is derived data: rebuildable from events at any time (the backfill below is that rebuild).
--
-- Per-task facts are fixed when the event is written, in event id order (EventLog serialises appends):
--   first_start     a move to in_progress that is the task's first one
--   cycle_seconds   for a move to done: seconds since the task's first move to in_progress
--                   (the snapshot's startedAt when the log has none)
--   reopened_later  for a move to done: a later event moved the task out of done (only a reopen leaves done)
CREATE TABLE velocity_events (
    event_id       bigint      PRIMARY KEY,
    task_id        bigint      NOT NULL,
    at             timestamptz NOT NULL,
    kind           text        NOT NULL CHECK (kind IN ('created', 'status')),
    from_status    text,
    to_status      text,
    retry          boolean     NOT NULL DEFAULT false,
    assignee       text,
    created_by     text,
    first_start    boolean,
    cycle_seconds  double precision,
    reopened_later boolean     NOT NULL DEFAULT false
);
-- The range scan, with the filters riding along.
CREATE INDEX velocity_events_at ON velocity_events (at);
-- The trigger's look-ups into one task's facts.
CREATE INDEX velocity_events_task ON velocity_events (task_id, event_id);

CREATE FUNCTION velocity_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    snapshot jsonb := NEW.data -> 'task';
    moved_to text := NEW.data ->> 'to';
    is_first boolean;
    started timestamptz;
BEGIN
    IF NEW.task_id IS NULL THEN
        RETURN NULL;
    END IF;
    IF NEW.type = 'task.created' THEN
        INSERT INTO velocity_events (event_id, task_id, at, kind, retry, assignee, created_by)
        VALUES (NEW.id, NEW.task_id, NEW.at, 'created', (snapshot ->> 'retryOf') IS NOT NULL,
                snapshot ->> 'assignee', snapshot ->> 'createdBy')
        ON CONFLICT (event_id) DO NOTHING;
        RETURN NULL;
    END IF;
    IF moved_to IS NULL THEN
        RETURN NULL;
    END IF;
    IF moved_to = 'in_progress' THEN
        is_first := NOT EXISTS (SELECT 1 FROM velocity_events v
                             WHERE v.task_id = NEW.task_id AND v.to_status = 'in_progress');
    ELSIF moved_to = 'done' THEN
        SELECT v.at INTO started FROM velocity_events v
        WHERE v.task_id = NEW.task_id AND v.to_status = 'in_progress' ORDER BY v.event_id LIMIT 1;
        IF started IS NULL THEN
            BEGIN
                started := (snapshot ->> 'startedAt')::timestamptz;
            EXCEPTION WHEN others THEN
                started := NULL; -- a malformed snapshot never blocks the change it describes
            END;
        END IF;
    END IF;
    IF NEW.data ->> 'from' = 'done' THEN
        UPDATE velocity_events SET reopened_later = true
        WHERE event_id = (SELECT max(v.event_id) FROM velocity_events v
                          WHERE v.task_id = NEW.task_id AND v.to_status = 'done' AND v.event_id < NEW.id);
    END IF;
    INSERT INTO velocity_events (event_id, task_id, at, kind, from_status, to_status, assignee, created_by,
                                 first_start, cycle_seconds)
    VALUES (NEW.id, NEW.task_id, NEW.at, 'status', NEW.data ->> 'from', moved_to, snapshot ->> 'assignee',
            snapshot ->> 'createdBy', is_first, extract(epoch FROM NEW.at - started)::float8)
    ON CONFLICT (event_id) DO NOTHING;
    RETURN NULL;
END
$$;

-- Writers wait while the history is projected, so that no event is missed or projected twice.
LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE;

CREATE TRIGGER events_velocity AFTER INSERT ON events
    FOR EACH ROW WHEN (NEW.type IN ('task.created', 'task.status_changed'))
    EXECUTE FUNCTION velocity_capture();

-- Backfill: the same facts for the history written before this migration. Also the rebuild, should the projection
-- ever need one: DELETE FROM velocity_events, then this statement (VelocityTest checks it agrees with the trigger).
INSERT INTO velocity_events (event_id, task_id, at, kind, from_status, to_status, retry, assignee, created_by,
                             first_start, cycle_seconds, reopened_later)
SELECT id, task_id, at, kind, from_status, to_status, retry, assignee, created_by,
       CASE WHEN to_status = 'in_progress' THEN id = first_start_id END,
       CASE WHEN to_status = 'done' THEN extract(epoch FROM at - coalesce(first_start_at, snapshot_started_at))::float8 END,
       coalesce(to_status = 'done' AND last_undo_id > id, false)
FROM (
    SELECT e.id, e.task_id, e.at,
           CASE e.type WHEN 'task.created' THEN 'created' ELSE 'status' END AS kind,
           e.data ->> 'from' AS from_status,
           e.data ->> 'to' AS to_status,
           e.type = 'task.created' AND (e.data -> 'task' ->> 'retryOf') IS NOT NULL AS retry,
           e.data -> 'task' ->> 'assignee' AS assignee,
           e.data -> 'task' ->> 'createdBy' AS created_by,
           min(e.id) FILTER (WHERE e.data ->> 'to' = 'in_progress') OVER task AS first_start_id,
           min(e.at) FILTER (WHERE e.data ->> 'to' = 'in_progress') OVER task AS first_start_at,
           max(e.id) FILTER (WHERE e.data ->> 'from' = 'done') OVER task AS last_undo_id,
           CASE WHEN e.data -> 'task' ->> 'startedAt' ~ '^\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:?\d{2})$'
                THEN (e.data -> 'task' ->> 'startedAt')::timestamptz END AS snapshot_started_at
    FROM events e
    WHERE e.task_id IS NOT NULL
      AND (e.type = 'task.created' OR (e.type = 'task.status_changed' AND e.data ->> 'to' IS NOT NULL))
    WINDOW task AS (PARTITION BY e.task_id)
) history
ON CONFLICT (event_id) DO NOTHING;
