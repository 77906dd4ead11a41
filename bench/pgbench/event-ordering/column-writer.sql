\set t random(1, 100000)
BEGIN;
INSERT INTO col.events (type, actor, task_id, agent, data, audience) VALUES ('task.updated', 'orch-1', :t, NULL, jsonb_build_object('task', jsonb_build_object('id', :t, 'title', repeat('x', 300), 'assignee', 'agent-7', 'status', 'todo')), ARRAY['agent-7']);
COMMIT;
