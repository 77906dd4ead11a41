BEGIN;
SELECT pg_advisory_xact_lock(44);
WITH batch AS (DELETE FROM tbl.queue WHERE id IN (SELECT id FROM tbl.queue ORDER BY id LIMIT 1000) RETURNING id),
     numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM batch),
     bumped AS (UPDATE tbl.seq SET last = last + (SELECT count(*) FROM batch) WHERE EXISTS (SELECT 1 FROM batch) RETURNING last - (SELECT count(*) FROM batch) AS base)
INSERT INTO tbl.positions SELECT bumped.base + n, id FROM numbered, bumped;
COMMIT;
\sleep 2 ms
