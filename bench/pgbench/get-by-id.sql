-- What GET /api/v1/tasks/{id} runs: the task with its dependencies and readiness (TaskRepository.COLUMNS).
\set id random(1, 100000)
SELECT t.id, t.title, t.description, t.status, t.priority, t.priority_rank, t.assignee, t.created_by, t.labels,
       t.attempt, t.max_attempts, t.retry_of, t.result, t.needs_attention, t.attention_reason,
       t.lease_expires_at, t.lease_epoch, t.version, t.created_at, t.updated_at, t.started_at, t.completed_at,
       t.comment_count,
       ARRAY(SELECT d.depends_on FROM task_dependencies d WHERE d.task_id = t.id ORDER BY d.depends_on) AS depends_on,
       NOT EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks p ON p.id = d.depends_on
                   WHERE d.task_id = t.id AND p.status <> 'done') AS ready
FROM tasks t WHERE t.id = :id;
