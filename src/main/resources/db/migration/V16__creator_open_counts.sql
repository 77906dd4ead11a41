-- The backlog cap at a cost independent of the cap (issue 22). The creation guard used to count a creator's open
-- tasks on every creation, reading up to olympus.tasks.max-open-per-creator index entries (about 1 ms at 3,000).
-- Now every write that opens or closes a task adjusts a counter in the same transaction (the triggers below: one
-- place, whatever statement writes tasks), and the guard sums the creator's counters (TaskCreationGuard).
--
-- Why 16 counters per creator: one orchestrator usually creates every task, and a single counter row would be locked
-- from each closing update to its commit, so all completions would queue on it. A transaction adjusts the counter of
-- its own shard (its transaction id modulo 16): concurrent closings rarely meet, and a transaction that changes one
-- creator's tasks only ever locks one counter of that creator, so such transactions cannot deadlock on counters.
-- Why counters updated in place and not +1/-1 rows folded later: folding deletes rows, and until vacuum every count
-- steps over them (measured: 3,500 dead index entries, 1.4 ms per check, after 20 s of creations). `open` is not
-- indexed and the pages keep room (fillfactor), so the updates are HOT: the index stays 16 entries per creator.
CREATE TABLE creator_open_tasks (
    created_by text     NOT NULL,
    shard      smallint NOT NULL,
    open       integer  NOT NULL,
    PRIMARY KEY (created_by, shard)
) WITH (fillfactor = 50);

-- Open = still somebody's work (TaskStatus.isOpen).
CREATE FUNCTION task_status_open(status text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN status IN ('todo', 'in_progress', 'in_review', 'blocked');

-- Inserts, per statement (a plan of 200 tasks adjusts each creator's counter once), in creator order: two statements
-- inserting tasks of the same creators lock their counters in the same order. (Plain statements in PL/pgSQL, so that
-- their plans are cached: a SQL function called per change cost four times as much.)
CREATE FUNCTION creator_open_tasks_inserted() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO creator_open_tasks AS c (created_by, shard, open)
    SELECT created_by, (pg_current_xact_id()::text::bigint % 16)::smallint, count(*)
    FROM inserted WHERE task_status_open(status) GROUP BY created_by ORDER BY created_by
    ON CONFLICT (created_by, shard) DO UPDATE SET open = c.open + excluded.open;
    RETURN NULL;
END
$$;
CREATE TRIGGER tasks_open_inserted AFTER INSERT ON tasks REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION creator_open_tasks_inserted();

-- Updates and deletes, per row; the WHEN clauses keep the function out of every update that does not change
-- open-ness (claims, patches).
CREATE FUNCTION creator_open_tasks_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF task_status_open(OLD.status) THEN
        INSERT INTO creator_open_tasks AS c (created_by, shard, open)
        VALUES (OLD.created_by, (pg_current_xact_id()::text::bigint % 16)::smallint, -1)
        ON CONFLICT (created_by, shard) DO UPDATE SET open = c.open - 1;
    END IF;
    IF TG_OP = 'UPDATE' AND task_status_open(NEW.status) THEN
        INSERT INTO creator_open_tasks AS c (created_by, shard, open)
        VALUES (NEW.created_by, (pg_current_xact_id()::text::bigint % 16)::smallint, 1)
        ON CONFLICT (created_by, shard) DO UPDATE SET open = c.open + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER tasks_open_changed AFTER UPDATE OF status, created_by ON tasks
    FOR EACH ROW WHEN (task_status_open(OLD.status) <> task_status_open(NEW.status) OR OLD.created_by <> NEW.created_by)
    EXECUTE FUNCTION creator_open_tasks_changed();
CREATE TRIGGER tasks_open_deleted AFTER DELETE ON tasks
    FOR EACH ROW WHEN (task_status_open(OLD.status)) EXECUTE FUNCTION creator_open_tasks_changed();

CREATE FUNCTION creator_open_tasks_truncated() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE creator_open_tasks;
    RETURN NULL;
END
$$;
CREATE TRIGGER tasks_open_truncated AFTER TRUNCATE ON tasks
    FOR EACH STATEMENT EXECUTE FUNCTION creator_open_tasks_truncated();

INSERT INTO creator_open_tasks (created_by, shard, open)
SELECT created_by, 0, count(*) FROM tasks WHERE task_status_open(status) GROUP BY created_by;
