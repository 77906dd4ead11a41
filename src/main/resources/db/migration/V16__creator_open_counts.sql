-- The backlog cap at a cost independent of the cap (issue 22). The creation guard used to count a creator's open
-- tasks on every creation, reading up to olympus.tasks.max-open-per-creator index entries (about 1 ms at 3,000).
-- Now each change of a task's open-ness leaves a +1/-1 row here, in the writing transaction, and the creation guard
-- sums the creator's rows and folds them into one (TaskCreationGuard, under the creator's lock).
--
-- Why rows of deltas and not one counter per creator: a counter row would be locked by every transaction that
-- closes one of the creator's tasks until its commit, and one orchestrator usually creates every task, so all
-- completions would queue on one row. Inserts never wait for each other; the fold runs under the creator's
-- advisory lock, one creator at a time, and deletes only rows its snapshot saw (later ones wait for the next fold).
-- Written only by the triggers below and the guard's fold.
CREATE TABLE creator_open_tasks (
    created_by text    NOT NULL,
    delta      integer NOT NULL
);
CREATE INDEX creator_open_tasks_creator ON creator_open_tasks (created_by);
-- A small table with a row inserted and folded away per change: vacuum it often.
ALTER TABLE creator_open_tasks SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);

-- Open = still somebody's work (TaskStatus.isOpen).
CREATE FUNCTION task_status_open(status text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN status IN ('todo', 'in_progress', 'in_review', 'blocked');

CREATE FUNCTION creator_open_tasks_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND task_status_open(OLD.status) THEN
        INSERT INTO creator_open_tasks (created_by, delta) VALUES (OLD.created_by, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND task_status_open(NEW.status) THEN
        INSERT INTO creator_open_tasks (created_by, delta) VALUES (NEW.created_by, 1);
    END IF;
    RETURN NULL;
END
$$;

-- The WHEN clauses keep the function out of every update that does not change open-ness (claims, patches).
CREATE TRIGGER tasks_open_created AFTER INSERT ON tasks
    FOR EACH ROW WHEN (task_status_open(NEW.status)) EXECUTE FUNCTION creator_open_tasks_changed();
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

INSERT INTO creator_open_tasks (created_by, delta)
SELECT created_by, count(*) FROM tasks WHERE task_status_open(status) GROUP BY created_by;
