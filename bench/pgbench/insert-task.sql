-- What POST /api/v1/tasks does at the least: insert, read back, append the event (positioned after the commit by
-- bench/pgbench/sequencer.sql, which the benchmark runs beside it on one more connection, as the service does).
\set n random(1, 1000000000)
BEGIN;
INSERT INTO tasks (title, priority, labels, max_attempts, created_by) VALUES ('pgbench ' || :n || '-' || :client_id, 'medium', '{bench}', 3, 'admin') RETURNING id \gset
SELECT id, title, version FROM tasks WHERE id = :id;
WITH inserted AS (INSERT INTO events (type, actor, task_id, data)
                  SELECT 'task.created', 'admin', :id, '{}'::jsonb RETURNING id)
SELECT max(id) FROM inserted;
COMMIT;
