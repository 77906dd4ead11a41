-- What POST /api/v1/tasks does at the least: insert, read back, append the event (serialised).
\set n random(1, 1000000000)
BEGIN;
INSERT INTO tasks (title, priority, labels, max_attempts, created_by) VALUES ('pgbench ' || :n || '-' || :client_id, 'medium', '{bench}', 3, 'admin') RETURNING id \gset
SELECT id, title, version FROM tasks WHERE id = :id;
WITH serialised AS (SELECT pg_advisory_xact_lock(87189334541654)),
     inserted AS (INSERT INTO events (type, actor, task_id, data)
                  SELECT 'task.created', 'admin', :id, '{}'::jsonb FROM serialised RETURNING id)
SELECT max(id) FROM inserted;
COMMIT;
