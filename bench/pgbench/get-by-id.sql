-- What GET /api/v1/tasks/{id} runs: the task with its derived fields (TaskRepository.FIND). BenchStatementsTest keeps
-- the marked statement equal to the service's.
\set id random(1, 100000)
-- @statement find
SELECT t.id, t.title, t.description, t.status, t.priority, t.priority_rank, t.assignee, t.created_by, t.labels,
t.attempt, t.max_attempts, t.retry_of, t.result, t.needs_attention, t.attention_reason,
t.lease_expires_at, t.lease_epoch, t.version, t.created_at, t.updated_at, t.started_at, t.completed_at,
t.comment_count, t.review_required, t.acceptance_criteria, t.evidence::text AS evidence, t.reviewed_by,
t.rejections, t.review_holder, t.review_lease_expires_at, t.parent_id,
(SELECT ARRAY[count(*), count(*) FILTER (WHERE c.status IN ('todo', 'in_progress', 'in_review', 'blocked')),
              count(*) FILTER (WHERE c.status = 'done'), count(*) FILTER (WHERE c.status = 'failed'),
              count(*) FILTER (WHERE c.status = 'canceled')]
 FROM tasks c WHERE c.parent_id = t.id) AS children,
(SELECT array_agg(CASE WHEN p.status = 'done' THEN d.depends_on ELSE -d.depends_on END ORDER BY d.depends_on)
 FROM task_dependencies d JOIN tasks p ON p.id = d.depends_on WHERE d.task_id = t.id) AS dependencies,
(SELECT ARRAY[u.input_tokens, u.output_tokens, u.cost_usd] FROM task_usage u WHERE u.task_id = t.id) AS usage FROM tasks t WHERE t.id = :id;
