-- The physical floor: a bare primary-key lookup.
\set id random(1, 100000)
SELECT id, title, status FROM tasks WHERE id = :id;
