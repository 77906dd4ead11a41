-- Review and acceptance, plans and task trees (API.md "Review and acceptance", "Plans and task trees").

ALTER TABLE tasks
    -- The assignee may not declare its own task done: someone else accepts it (in_review -> done).
    ADD COLUMN review_required        boolean     NOT NULL DEFAULT false,
    ADD COLUMN acceptance_criteria    text[]      NOT NULL DEFAULT '{}',
    -- [{criterion, text}], given with the move into in_review or done; cleared by a rejection or a reopen.
    ADD COLUMN evidence               jsonb,
    ADD COLUMN reviewed_by            text,
    -- Reviews sent back since the task was last accepted (0 at acceptance: accepted on the first pass).
    ADD COLUMN rejections             integer     NOT NULL DEFAULT 0,
    -- A review claim (POST /tasks/claim {"review": true}) holds the review, not the task: the assignee stays.
    ADD COLUMN review_holder          text,
    ADD COLUMN review_lease_expires_at timestamptz,
    ADD COLUMN parent_id              bigint REFERENCES tasks (id);

-- GET /tasks?parentId= and the children roll-up read a parent's children through this index.
CREATE INDEX tasks_parent ON tasks (parent_id, status) WHERE parent_id IS NOT NULL;
-- The review claim walks in_review tasks oldest first.
CREATE INDEX tasks_review_claim ON tasks (id) WHERE status = 'in_review';

-- Velocity's accepted / rejected / firstPassAcceptance: a review decision's task.status_changed event carries
-- data.review ('accepted' | 'rejected') and, for an acceptance, data.firstPass.
ALTER TABLE velocity_events
    ADD COLUMN review     text CHECK (review IN ('accepted', 'rejected')),
    ADD COLUMN first_pass boolean;

CREATE FUNCTION velocity_capture_review() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.task_id IS NOT NULL AND NEW.type = 'task.status_changed' AND (NEW.data ->> 'review') IS NOT NULL THEN
        UPDATE velocity_events
        SET review = NEW.data ->> 'review',
            first_pass = CASE WHEN NEW.data ->> 'review' = 'accepted' THEN coalesce((NEW.data ->> 'firstPass')::boolean, false) END
        WHERE event_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;

-- Runs after events_velocity (triggers of one event fire in name order), which wrote the row updated here.
CREATE TRIGGER events_velocity_review AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION velocity_capture_review();
