-- Event ordering without a lock held through commit (docs/design-event-ordering.md).
--
-- Before: every event-writing transaction took one advisory lock and held it through COMMIT, so that ids became
-- visible in id order; all commits in the cluster ran one at a time. Now writers insert events with no position and
-- no lock; a post-commit sequencer (events_assign_positions, below) gives committed events consecutive positions.
-- The position is the stream's cursor (the `id` on the wire); readers read positioned rows only, by position.

ALTER TABLE events ADD COLUMN position bigint;

-- Existing events keep their id as their position, so every cursor a client holds keeps its meaning (those ids were
-- already in commit order under the old lock; the ones that were rolled back simply never get a position).
UPDATE events SET position = id;

CREATE UNIQUE INDEX events_position ON events (position);
-- The sequencer's queue: the committed events still waiting for a position (a handful at any time).
CREATE INDEX events_unpositioned ON events (id) WHERE position IS NULL;
-- A task's history, in stream order.
DROP INDEX events_task;
CREATE INDEX events_task ON events (task_id, position) WHERE task_id IS NOT NULL;

-- Retention's mark is a position now.
ALTER TABLE events_pruned RENAME COLUMN through_id TO through_position;

-- The last position handed out; never goes down (retention may delete the newest events, the counter stays).
CREATE TABLE events_sequence (
    singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_position bigint  NOT NULL
);
INSERT INTO events_sequence (last_position)
SELECT greatest(coalesce((SELECT max(id) FROM events), 0), (SELECT through_position FROM events_pruned));

-- Positions the committed events that have none, oldest id first, at most max_batch of them; returns how many it
-- positioned and the newest position (0 and the current last position when there was nothing to do).
--
-- Why this is gap-free: the lock is taken BEFORE the statement that reads the unpositioned events, and a VOLATILE
-- function's every statement takes a fresh snapshot (READ COMMITTED), so that statement sees every event committed
-- before the lock was granted, including every position a previous holder assigned (a transaction-scoped lock is
-- released after its commit became visible). Each holder therefore continues the numbers exactly where the last one
-- stopped, and a reader that sees position p sees all lower positions: they were committed by earlier holders, before
-- the transaction that assigned p even started. An event committed after the snapshot waits for the next call,
-- which its own writer makes right after its commit (and every instance's safety poll).
CREATE FUNCTION events_assign_positions(max_batch int, OUT positioned int, OUT newest bigint)
    LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    base bigint;
BEGIN
    -- Cheap exit for the safety poll: nothing waits. (A false "nothing" is harmless: the writer of an event committed
    -- after this snapshot calls again after its commit.)
    IF NOT EXISTS (SELECT 1 FROM events WHERE position IS NULL) THEN
        positioned := 0;
        SELECT last_position INTO newest FROM events_sequence;
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(87189334545233); -- 0x4f4c_5950_5351, "OLYPSQ": one sequencer at a time
    SELECT last_position INTO base FROM events_sequence;
    -- Unpositioned rows are changed by nobody else (retention deletes positioned rows only), so no FOR UPDATE.
    UPDATE events e SET position = base + batch.n
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n
          FROM (SELECT id FROM events WHERE position IS NULL ORDER BY id LIMIT max_batch) waiting) batch
    WHERE e.id = batch.id;
    GET DIAGNOSTICS positioned = ROW_COUNT;
    newest := base + positioned;
    IF positioned > 0 THEN
        UPDATE events_sequence SET last_position = newest;
    END IF;
END
$$;
