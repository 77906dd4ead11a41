-- Synthetic history for the velocity benchmark: :tasks tasks over the year before now, 8 events each
-- (1 000 000 events for 125 000 tasks), shaped like real use: created, assigned, started, commented twice, updated,
-- then done (75 %) or failed (25 %), and 10 % of the completions reopened later (otherwise one more comment).
-- 20 % of the tasks are retries; 20 creators, 50 assignees. Snapshots carry a full task as the API writes it.
-- Run by bench/velocity.sh on a throwaway database; never on one that matters.
\set ON_ERROR_STOP on
SET synchronous_commit = off;

INSERT INTO events (type, at, actor, task_id, agent, data)
SELECT e.type, e.at, t.creator, t.id, NULL, e.data
FROM (
    SELECT g AS id,
           now() - interval '365 days' * random() AS t0,
           'orchestrator-' || (g % 20) AS creator,
           'worker-' || (g % 50) AS assignee,
           CASE WHEN g % 5 = 0 THEN g - 1 END AS retry_of,
           CASE WHEN g % 4 = 0 THEN 'failed' ELSE 'done' END AS outcome,
           interval '10 minutes' + interval '3 hours' * random() AS cycle,
           (g % 4 <> 0 AND g % 10 = 1) AS reopened
    FROM generate_series(1, :tasks) AS g
) t
CROSS JOIN LATERAL (
    SELECT jsonb_build_object(
               'id', t.id, 'title', 'Synthetic task ' || t.id,
               'description', 'Benchmark task with a description of realistic length. ' || repeat('lorem ipsum ', 12),
               'priority', 'medium', 'createdBy', t.creator, 'labels', jsonb_build_array('bench', 'java'),
               'dependsOn', '[]'::jsonb, 'ready', true, 'attempt', CASE WHEN t.retry_of IS NULL THEN 1 ELSE 2 END,
               'maxAttempts', 3, 'retryOf', t.retry_of, 'result', NULL, 'needsAttention', false,
               'attentionReason', NULL, 'leaseExpiresAt', NULL, 'leaseEpoch', 0, 'createdAt', t.t0,
               'commentCount', 0) AS base
) b
CROSS JOIN LATERAL (VALUES
    ('task.created', t.t0,
     jsonb_build_object('task', b.base || jsonb_build_object('status', 'todo', 'assignee', NULL, 'version', 1))),
    ('task.assigned', t.t0 + interval '1 minute',
     jsonb_build_object('from', NULL, 'to', t.assignee,
                        'task', b.base || jsonb_build_object('status', 'todo', 'assignee', t.assignee, 'version', 2))),
    ('task.status_changed', t.t0 + interval '5 minutes',
     jsonb_build_object('from', 'todo', 'to', 'in_progress',
                        'task', b.base || jsonb_build_object('status', 'in_progress', 'assignee', t.assignee, 'version', 3,
                                                             'startedAt', t.t0 + interval '5 minutes'))),
    ('task.commented', t.t0 + interval '6 minutes',
     jsonb_build_object('commentId', t.id * 3, 'author', t.assignee, 'body', 'Working on it.')),
    ('task.updated', t.t0 + interval '7 minutes',
     jsonb_build_object('fields', jsonb_build_array('priority'),
                        'task', b.base || jsonb_build_object('status', 'in_progress', 'assignee', t.assignee, 'version', 4))),
    ('task.commented', t.t0 + interval '8 minutes',
     jsonb_build_object('commentId', t.id * 3 + 1, 'author', t.assignee, 'body', 'Half way.')),
    ('task.status_changed', t.t0 + interval '5 minutes' + t.cycle,
     jsonb_build_object('from', 'in_progress', 'to', t.outcome,
                        'task', b.base || jsonb_build_object('status', t.outcome, 'assignee', t.assignee, 'version', 5,
                                                             'startedAt', t.t0 + interval '5 minutes',
                                                             'completedAt', t.t0 + interval '5 minutes' + t.cycle))),
    (CASE WHEN t.reopened THEN 'task.status_changed' ELSE 'task.commented' END,
     t.t0 + interval '65 minutes' + t.cycle,
     CASE WHEN t.reopened
          THEN jsonb_build_object('from', 'done', 'to', 'todo',
                                  'task', b.base || jsonb_build_object('status', 'todo', 'assignee', t.assignee, 'version', 6))
          ELSE jsonb_build_object('commentId', t.id * 3 + 2, 'author', t.assignee, 'body', 'Done, see result.') END)
) AS e(type, at, data)
ORDER BY e.at;

-- The trigger of V2 projected the counted events into velocity_events while they were inserted.
VACUUM ANALYZE events;
VACUUM ANALYZE velocity_events;
SELECT (SELECT count(*) FROM events) AS events, pg_size_pretty(pg_total_relation_size('events')) AS events_size,
       (SELECT count(*) FROM velocity_events) AS projected,
       pg_size_pretty(pg_total_relation_size('velocity_events')) AS projected_size;
