-- What PATCH /api/v1/tasks/{id} with If-Match does: lock, update, read back, append the event.
\set id random(1, 90000)
BEGIN;
SELECT version FROM tasks WHERE id = :id FOR UPDATE;
UPDATE tasks SET result = 'pgbench ' || :client_id, version = version + 1, updated_at = now() WHERE id = :id;
SELECT id, title, version FROM tasks WHERE id = :id;
WITH inserted AS (INSERT INTO events (type, actor, task_id, data)
                  SELECT 'task.updated', 'admin', :id, '{}'::jsonb RETURNING id)
SELECT max(id) FROM inserted;
COMMIT;
