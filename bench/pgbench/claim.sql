-- What POST /api/v1/tasks/claim runs in PostgreSQL: BEGIN, the kill fence (KillFence.SHARED), the claim statement
-- (TaskWrites.CLAIM), the append of its two events with their task snapshots (EventLog.APPEND), COMMIT; the events
-- are positioned after the commit by bench/pgbench/sequencer.sql beside it. BenchStatementsTest keeps the marked
-- statements equal to the service's. :agent is one of the claiming workers (claim.sh puts their id range in place
-- of 2..33); the tasks are seeded ready and labelled 'bench'.
\set agent random(2, 33)
BEGIN;
-- @statement kill-fence
SELECT pg_advisory_xact_lock_shared(5714040205883736064::bigint | ((:agent)::bigint & 4294967295));
-- @statement claim
WITH me AS (
    SELECT a.name, a.capabilities, a.wip_limit,
           CASE WHEN a.wip_limit IS NOT NULL THEN pg_advisory_xact_lock(5714040257423343616::bigint | (a.id & 4294967295)) END AS locked
    FROM agents a WHERE a.id = (:agent)::bigint AND a.state NOT IN ('killed', 'paused')),
pick AS (
    SELECT t.id, t.assignee AS previous_assignee
    FROM me, tasks t
    WHERE t.status = 'todo'
      AND (t.assignee = me.name
           OR (t.assignee IS NULL
               AND (cardinality(me.capabilities) = 0 OR cardinality(t.labels) = 0 OR t.labels && me.capabilities)))
      AND t.labels && ARRAY['bench']::text[]
      AND NOT EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks p ON p.id = d.depends_on
                      WHERE d.task_id = t.id AND p.status <> 'done')
      AND (me.wip_limit IS NULL
           OR (SELECT count(*) FROM tasks w WHERE w.assignee = me.name AND w.status = 'in_progress') < me.wip_limit)
    ORDER BY t.priority_rank, t.id
    LIMIT 1
    FOR NO KEY UPDATE OF t SKIP LOCKED)
UPDATE tasks t
SET assignee = me.name, status = 'in_progress', version = version + 1, updated_at = now(), needs_attention = false, attention_reason = NULL, attention_since = NULL, blocked_on = NULL, blocked_at = NULL, completed_at = NULL, review_holder = NULL, review_lease_expires_at = NULL, evidence = NULL, started_at = coalesce(started_at, now()), lease_expires_at = now() + make_interval(secs => 300), lease_epoch = lease_epoch + 1
FROM pick, me
WHERE t.id = pick.id
RETURNING t.id, t.title, t.description, t.status, t.priority, t.priority_rank, t.assignee, t.created_by, t.labels,
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
(SELECT ARRAY[u.input_tokens, u.output_tokens, u.cost_usd] FROM task_usage u WHERE u.task_id = t.id) AS usage, pick.previous_assignee, me.wip_limit
\gset
-- @statement append
INSERT INTO events (type, actor, task_id, agent, data, audience)
SELECT e.type, e.actor, e.task_id, e.agent, e.data,
       array_remove(ARRAY[
           e.agent,
           CASE WHEN e.data ? 'task' THEN e.data -> 'task' ->> 'assignee'
                ELSE (SELECT t.assignee FROM tasks t WHERE t.id = e.task_id) END,
           CASE WHEN e.type = 'task.assigned' THEN e.data ->> 'from' END], NULL)
FROM jsonb_to_recordset(replace('[{"type": "task.status_changed","actor": "bench-worker","task_id": "@id","agent": null,"data": {"to": "in_progress","from": "todo","task": {"id": "@id","ready": true,"title": "bench task","usage": {"costUsd": 0,"inputTokens": 0,"outputTokens": 0},"labels": ["bench"],"result": null,"status": "in_progress","attempt": 1,"retryOf": null,"version": 2,"assignee": "bench-worker","children": {"done": 0,"open": 0,"total": 0,"failed": 0,"canceled": 0},"evidence": null,"parentId": null,"priority": "medium","createdAt": "2026-12-07T19:05:59.216669Z","createdBy": "bench-planner-4","dependsOn": [],"startedAt": "2026-12-07T19:13:05.293455Z","updatedAt": "2026-12-07T19:13:05.293455Z","leaseEpoch": 1,"rejections": 0,"reviewedBy": null,"completedAt": null,"description": null,"maxAttempts": 3,"commentCount": 0,"reviewHolder": null,"leaseExpiresAt": "2026-12-07T19:18:05.293455Z","needsAttention": false,"reviewRequired": false,"attentionReason": null,"acceptanceCriteria": [],"reviewLeaseExpiresAt": null},"claimed": true},"ord": 0},{"type": "task.assigned","actor": "bench-worker","task_id": "@id","agent": null,"data": {"to": "bench-worker","from": null,"task": {"id": "@id","ready": true,"title": "bench task","usage": {"costUsd": 0,"inputTokens": 0,"outputTokens": 0},"labels": ["bench"],"result": null,"status": "in_progress","attempt": 1,"retryOf": null,"version": 2,"assignee": "bench-worker","children": {"done": 0,"open": 0,"total": 0,"failed": 0,"canceled": 0},"evidence": null,"parentId": null,"priority": "medium","createdAt": "2026-12-07T19:05:59.216669Z","createdBy": "bench-planner-4","dependsOn": [],"startedAt": "2026-12-07T19:13:05.293455Z","updatedAt": "2026-12-07T19:13:05.293455Z","leaseEpoch": 1,"rejections": 0,"reviewedBy": null,"completedAt": null,"description": null,"maxAttempts": 3,"commentCount": 0,"reviewHolder": null,"leaseExpiresAt": "2026-12-07T19:18:05.293455Z","needsAttention": false,"reviewRequired": false,"attentionReason": null,"acceptanceCriteria": [],"reviewLeaseExpiresAt": null},"claimed": true},"ord": 1}]', '"@id"', (:id)::text)::jsonb)
     AS e(type text, actor text, task_id bigint, agent text, data jsonb, ord int)
ORDER BY e.ord;
COMMIT;
