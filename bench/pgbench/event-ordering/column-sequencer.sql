BEGIN;
SELECT pg_advisory_xact_lock(43);
WITH batch AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM (SELECT id FROM col.events WHERE position IS NULL ORDER BY id LIMIT 1000 FOR UPDATE) c),
     bumped AS (UPDATE col.seq SET last = last + (SELECT count(*) FROM batch) WHERE EXISTS (SELECT 1 FROM batch) RETURNING last - (SELECT count(*) FROM batch) AS base)
UPDATE col.events e SET position = bumped.base + batch.n FROM batch, bumped WHERE e.id = batch.id;
COMMIT;
\sleep 2 ms
