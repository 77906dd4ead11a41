-- What GET /api/v1/tasks?assignee=...&limit=50 runs: the page's ids by index, then the columns for that page.
\set agent random(1, 50)
SELECT t.id, t.title, t.description, t.status, t.priority, t.priority_rank, t.assignee, t.created_by, t.labels,
       t.attempt, t.max_attempts, t.retry_of, t.result, t.needs_attention, t.attention_reason,
       t.lease_expires_at, t.lease_epoch, t.version, t.created_at, t.updated_at, t.started_at, t.completed_at,
       t.comment_count,
       ARRAY(SELECT d.depends_on FROM task_dependencies d WHERE d.task_id = t.id ORDER BY d.depends_on) AS depends_on,
       NOT EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks p ON p.id = d.depends_on
                   WHERE d.task_id = t.id AND p.status <> 'done') AS ready
FROM (SELECT t.id FROM tasks t WHERE t.assignee = 'bench-worker-' || :agent ORDER BY t.priority_rank, t.id LIMIT 51) page
JOIN tasks t ON t.id = page.id ORDER BY t.priority_rank, t.id;
