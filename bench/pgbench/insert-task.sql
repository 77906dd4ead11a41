-- What POST /api/v1/tasks runs in PostgreSQL: BEGIN, the creator's lock and the guard's check (TaskCreationGuard.LOCK,
-- .CHECK: budget, backlog cap, duplicates), the insert that answers the task (TaskWrites.INSERT_ALL), the append of
-- its task.created event (EventLog.APPEND), COMMIT; the event is positioned after the commit by
-- bench/pgbench/sequencer.sql, which the benchmark runs beside it, as the service does. BenchStatementsTest keeps the
-- marked statements equal to the service's. Each client creates as one of the 32 seeded orchestrators of its own, with
-- bench/run's guard-rail settings (a budget of 100,000,000 per 1 s window, a cap of 100,000,000 open tasks).
\set n random(1, 1000000000)
\set creator 1 + :client_id % 32
BEGIN;
-- @statement guard-lock
SELECT pg_advisory_xact_lock(1330398034, (:creator));
-- @statement guard-check
WITH recent AS (
    SELECT created_at FROM tasks
    WHERE created_by = ('bench-planner-' || :creator) AND created_at > now() - make_interval(secs => 1.000)
    ORDER BY created_at DESC LIMIT 100000000)
SELECT (SELECT count(*) FROM recent) AS used,
       (SELECT extract(epoch FROM min(created_at) + make_interval(secs => 1.000) - clock_timestamp())::float8
        FROM recent) AS frees_in,
       (SELECT coalesce(sum(open), 0) FROM creator_open_tasks WHERE created_by = ('bench-planner-' || :creator)) AS open,
       (SELECT ARRAY[t.id, 1] FROM tasks t
        WHERE t.created_by = ('bench-planner-' || :creator) AND t.title_key = task_title_key(('pgbench ' || :n || '-' || :client_id)) AND t.status IN ('todo', 'in_progress', 'in_review', 'blocked')
          AND t.created_at > now() - make_interval(secs => 600.000)
        ORDER BY t.id DESC LIMIT 1) AS duplicate,
       NULL::bigint[] AS twin;
-- @statement insert
INSERT INTO tasks AS t (title, description, assignee, priority, labels, max_attempts, created_by,
                        review_required, acceptance_criteria, parent_id)
SELECT e ->> 'title', e ->> 'description', e ->> 'assignee', e ->> 'priority',
       ARRAY(SELECT jsonb_array_elements_text(e -> 'labels')), (e ->> 'maxAttempts')::int, ('bench-planner-' || :creator),
       (e ->> 'reviewRequired')::boolean, ARRAY(SELECT jsonb_array_elements_text(e -> 'criteria')),
       (e ->> 'parentId')::bigint
FROM jsonb_array_elements(('[{"title": "' || 'pgbench ' || :n || '-' || :client_id || '", "priority": "medium", "labels": ["bench"], "maxAttempts": 3, "reviewRequired": false, "criteria": []}]')::text::jsonb) WITH ORDINALITY AS x(e, ord)
ORDER BY ord
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
(SELECT ARRAY[u.input_tokens, u.output_tokens, u.cost_usd] FROM task_usage u WHERE u.task_id = t.id) AS usage
\gset
-- @statement append-created
INSERT INTO events (type, actor, task_id, agent, data, audience)
SELECT e.type, e.actor, e.task_id, e.agent, e.data,
       array_remove(ARRAY[
           e.agent,
           CASE WHEN e.data ? 'task' THEN e.data -> 'task' ->> 'assignee'
                ELSE (SELECT t.assignee FROM tasks t WHERE t.id = e.task_id) END,
           CASE WHEN e.type = 'task.assigned' THEN e.data ->> 'from' END], NULL)
FROM jsonb_to_recordset(replace('[{"type": "task.created","actor": "bench-planner","task_id": "@id","agent": null,"data": {"task": {"id": "@id","ready": true,"title": "pgbench task","usage": {"costUsd": 0,"inputTokens": 0,"outputTokens": 0},"labels": ["bench"],"result": null,"status": "todo","attempt": 1,"retryOf": null,"version": 1,"assignee": null,"children": {"done": 0,"open": 0,"total": 0,"failed": 0,"canceled": 0},"evidence": null,"parentId": null,"priority": "medium","createdAt": "2026-12-07T19:24:33.654293Z","createdBy": "bench-planner","dependsOn": [],"startedAt": null,"updatedAt": "2026-12-07T19:24:33.654293Z","leaseEpoch": 0,"rejections": 0,"reviewedBy": null,"completedAt": null,"description": null,"maxAttempts": 3,"commentCount": 0,"reviewHolder": null,"leaseExpiresAt": null,"needsAttention": false,"reviewRequired": false,"attentionReason": null,"acceptanceCriteria": [],"reviewLeaseExpiresAt": null}},"ord": 0}]', '"@id"', (:id)::text)::jsonb)
     AS e(type text, actor text, task_id bigint, agent text, data jsonb, ord int)
ORDER BY e.ord;
COMMIT;
