-- Velocity (GET /api/v1/metrics/velocity) reads the event log. These partial indexes keep it fast on a year of
-- history: only the two event types it counts are indexed by time, and the per-task look-ups it needs
-- ("first start?", "when first started?", "reopened after this completion?") touch a few index entries each.

-- The range scan: task.created and task.status_changed by time.
CREATE INDEX events_velocity ON events (at) WHERE type IN ('task.created', 'task.status_changed');

-- A task's moves to in_progress, oldest first (the first one starts its cycle time); `at` rides along for
-- index-only scans.
CREATE INDEX events_task_started ON events (task_id, id) INCLUDE (at)
    WHERE type = 'task.status_changed' AND (data ->> 'to') = 'in_progress';

-- A task's moves out of done: only a reopen leaves done, so these undo a completion.
CREATE INDEX events_task_undone ON events (task_id, id)
    WHERE type = 'task.status_changed' AND (data ->> 'from') = 'done';
