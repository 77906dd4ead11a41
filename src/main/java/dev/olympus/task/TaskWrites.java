package dev.olympus.task;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Every statement that writes the {@code tasks} table, and the one place that says what a status change writes
 * ({@link StatusMove}). The rules that decide whether a write may happen live in the services; this class only
 * writes, on the caller's connection (so inside its transaction), and never emits events.
 *
 * <p>A new rule about what entering a status sets goes into {@link StatusMove#enter}; a new statement on tasks
 * goes here.
 */
@ApplicationScoped
public class TaskWrites {

    /*
     * The claim: one statement. $1 caller id, $2 the WIP lock namespace, $3 lease seconds, and in CLAIM_NARROWED $4
     * the labels the claim is narrowed to. The pick walks the claim order (priority_rank, id) over todo tasks.
     * See ClaimService for the WIP limit and the kill fence. Two statements rather than "$4 IS NULL OR ...": with a
     * null PostgreSQL folds that condition away in a custom plan, the generic plan never looks as cheap, and every
     * claim was planned afresh (1.5 ms).
     */
    private static final String CLAIM_TEMPLATE = """
            WITH me AS (
                SELECT a.name, a.capabilities, a.wip_limit,
                       CASE WHEN a.wip_limit IS NOT NULL THEN pg_advisory_xact_lock($2::bigint | (a.id & 4294967295)) END AS locked
                FROM agents a WHERE a.id = $1 AND a.state NOT IN ('killed', 'paused')),
            pick AS (
                SELECT t.id, t.assignee AS previous_assignee
                FROM me, tasks t
                WHERE t.status = 'todo'
                  AND (t.assignee = me.name
                       OR (t.assignee IS NULL
                           AND (cardinality(me.capabilities) = 0 OR cardinality(t.labels) = 0 OR t.labels && me.capabilities)))
                  %1$s
                  AND NOT EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks p ON p.id = d.depends_on
                                  WHERE d.task_id = t.id AND p.status <> 'done')
                  AND (me.wip_limit IS NULL
                       OR (SELECT count(*) FROM tasks w WHERE w.assignee = me.name AND w.status = 'in_progress') < me.wip_limit)
                ORDER BY t.priority_rank, t.id
                LIMIT 1
                FOR NO KEY UPDATE OF t SKIP LOCKED)
            UPDATE tasks t
            SET assignee = me.name, %2$s
            FROM pick, me
            WHERE t.id = pick.id
            RETURNING %3$s, pick.previous_assignee, me.wip_limit
            """;

    static final String CLAIM = CLAIM_TEMPLATE.formatted("",
            StatusMove.enter(TaskStatus.IN_PROGRESS, "$3", false), TaskRepository.COLUMNS);

    /** The claim narrowed to tasks carrying one of the labels $4. */
    static final String CLAIM_NARROWED = CLAIM_TEMPLATE.formatted("AND t.labels && $4::text[]",
            StatusMove.enter(TaskStatus.IN_PROGRESS, "$3", false), TaskRepository.COLUMNS);

    /*
     * The review claim: $1 caller id, $2 lease seconds. The oldest in_review task not assigned to the caller and not
     * under a live review lease; SKIP LOCKED like the claim. Only the review columns and the version change.
     */
    static final String REVIEW_CLAIM = """
            WITH me AS (SELECT a.name FROM agents a WHERE a.id = $1 AND a.state NOT IN ('killed', 'paused')),
            pick AS (
                SELECT t.id FROM me, tasks t
                WHERE t.status = 'in_review' AND t.assignee IS DISTINCT FROM me.name
                  AND (t.review_lease_expires_at IS NULL OR t.review_lease_expires_at < now())
                ORDER BY t.id
                LIMIT 1
                FOR NO KEY UPDATE OF t SKIP LOCKED)
            UPDATE tasks t
            SET review_holder = me.name, review_lease_expires_at = now() + make_interval(secs => $2), %s
            FROM pick, me
            WHERE t.id = pick.id
            RETURNING %s
            """.formatted(StatusMove.NEW_VERSION, TaskRepository.COLUMNS);

    /**
     * Renews the lease of the task the heartbeat names, as a CTE of the heartbeat's statement ({@code agent}
     * package): $2 task id, $3 lease seconds, $4 agent name, $5 lease epoch (null: any).
     */
    public static final String HEARTBEAT_RENEWAL = """
            UPDATE tasks SET lease_expires_at = now() + make_interval(secs => $3)
            WHERE id = $2 AND assignee = $4 AND status = 'in_progress' AND ($5::bigint IS NULL OR lease_epoch = $5)
            RETURNING lease_expires_at""";

    /**
     * Answers the tasks the agent held that were canceled since its previous successful heartbeat, and marks them
     * reported, as a CTE of the heartbeat's statement: $4 agent name; {@code renewed} is the CTE of
     * {@link #HEARTBEAT_RENEWAL} (a heartbeat that fails to renew the task it names answers an error and reports
     * nothing).
     */
    public static final String HEARTBEAT_CANCELED = """
            UPDATE canceled_holdings c SET reported_at = now()
            WHERE c.agent = $4 AND c.reported_at IS NULL AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM renewed))
            RETURNING c.task_id""";

    /**
     * SQL condition: is agent {@code agent} the former holder of task {@code task} (parameters such as {@code $2}),
     * canceled while it held it? True for the holding row of the task's current cancellation (written in the cancel's
     * transaction, so its canceled_at equals the task's completed_at).
     */
    public static String canceledUnder(String task, String agent) {
        return "EXISTS (SELECT 1 FROM tasks ct JOIN canceled_holdings ch ON ch.task_id = ct.id AND ch.agent = " + agent
                + " WHERE ct.id = " + task + " AND ct.status = 'canceled' AND ch.canceled_at = ct.completed_at)";
    }

    /** Counts a new comment on its task, as a CTE of the comment's INSERT ({@link CommentRepository}): $1 task id. */
    static final String COUNT_COMMENT = "UPDATE tasks SET comment_count = comment_count + 1 WHERE id = $1 RETURNING id";

    private final Leases leases;

    public TaskWrites(Leases leases) {
        this.leases = leases;
    }

    /** The insert of {@link #insertAll}: $1 the tasks as a JSON array (text), $2 their creator. */
    static final String INSERT_ALL = """
            INSERT INTO tasks AS t (title, description, assignee, priority, labels, max_attempts, created_by,
                                    review_required, acceptance_criteria, parent_id)
            SELECT e ->> 'title', e ->> 'description', e ->> 'assignee', e ->> 'priority',
                   ARRAY(SELECT jsonb_array_elements_text(e -> 'labels')), (e ->> 'maxAttempts')::int, $2,
                   (e ->> 'reviewRequired')::boolean, ARRAY(SELECT jsonb_array_elements_text(e -> 'criteria')),
                   (e ->> 'parentId')::bigint
            FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS x(e, ord)
            ORDER BY ord
            RETURNING\s""" + TaskRepository.COLUMNS;

    /**
     * Inserts a batch of new tasks in one statement (a single task is a batch of one; a plan of 200 is still one
     * statement). @return the new tasks as read back in that statement, in the batch's order (identity values follow
     * the insert order); their derived fields are those of a task without dependencies (none are inserted yet)
     */
    Uni<List<Task>> insertAll(SqlClient client, List<TaskCreation.NewTask> batch, String createdBy, boolean reviewByDefault) {
        JsonArray rows = new JsonArray();
        for (TaskCreation.NewTask task : batch) {
            CreateTaskRequest r = task.request();
            rows.add(new JsonObject()
                    .put("title", r.title())
                    .put("description", r.description())
                    .put("assignee", r.assignee())
                    .put("priority", (r.priority() == null ? Priority.MEDIUM : r.priority()).wire())
                    .put("labels", new JsonArray(r.labels() == null ? List.of() : List.copyOf(r.labels())))
                    .put("maxAttempts", r.maxAttempts() == null ? 3 : r.maxAttempts())
                    .put("reviewRequired", r.reviewRequired() == null ? reviewByDefault : r.reviewRequired())
                    .put("criteria", new JsonArray(r.acceptanceCriteria() == null ? List.of() : List.copyOf(r.acceptanceCriteria())))
                    .put("parentId", task.parentId()));
        }
        return client.preparedQuery(INSERT_ALL)
                .execute(Tuple.of(rows.encode(), createdBy))
                .map(result -> {
                    List<Task> tasks = new ArrayList<>(TaskRepository.all(result));
                    tasks.sort(java.util.Comparator.comparingLong(Task::id));
                    return tasks;
                });
    }

    /** A retry of failed task {@code failedId}: a copy with {@code attempt + 1}. @return the retry's id */
    Uni<Long> insertRetry(SqlClient client, long failedId, String assignee, String createdBy) {
        return client.preparedQuery("""
                        INSERT INTO tasks (title, description, assignee, priority, labels, max_attempts, created_by,
                                           attempt, retry_of)
                        SELECT title, description, $2, priority, labels, max_attempts, $3, attempt + 1, id
                        FROM tasks WHERE id = $1
                        RETURNING id
                        """)
                .execute(Tuple.of(failedId, assignee, createdBy))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    /** The claim statement (see {@link #CLAIM}); one row when a task was claimed. */
    Uni<RowSet<Row>> claim(SqlClient client, long agentId, String[] narrowTo) {
        return narrowTo == null
                ? client.preparedQuery(CLAIM).execute(Tuple.of(agentId, WipLimits.NAMESPACE << 32, leases.seconds()))
                : client.preparedQuery(CLAIM_NARROWED)
                        .execute(Tuple.of(agentId, WipLimits.NAMESPACE << 32, leases.seconds(), narrowTo));
    }

    /** A review decision written with a move out of in_review: the reviewer, and whether it sent the work back. */
    record ReviewDecision(String reviewer, boolean rejected) {}

    /** The review claim statement (see {@link #REVIEW_CLAIM}); one row when a review was claimed. */
    Uni<RowSet<Row>> claimReview(SqlClient client, long agentId) {
        return client.preparedQuery(REVIEW_CLAIM).execute(Tuple.of(agentId, leases.seconds()));
    }

    /**
     * Writes a permitted merge patch: the changed fields, and the move into {@code to} (null: no status change).
     *
     * @param review the review decision the move is (null: none)
     * @return the names of the fields whose value changed (nothing is written when none did)
     */
    Uni<List<String>> patch(SqlClient client, Task task, TaskPatch patch, TaskStatus to, ReviewDecision review) {
        List<String> sets = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        params.add(task.id());
        set(patch.has("title") && !Objects.equals(patch.title(), task.title()), "title", patch.title(), sets, params, fields);
        set(patch.has("description") && !Objects.equals(patch.description(), task.description()),
                "description", patch.description(), sets, params, fields);
        set(patch.has("result") && !Objects.equals(patch.result(), task.result()), "result", patch.result(), sets, params, fields);
        set(patch.has("priority") && patch.priority() != task.priority(), "priority",
                patch.priority() == null ? null : patch.priority().wire(), sets, params, fields);
        set(patch.has("labels") && !Objects.equals(patch.labels(), task.labels()), "labels",
                patch.labels() == null ? null : patch.labels().toArray(String[]::new), sets, params, fields);
        boolean reassigned = reassigns(task, patch);
        set(reassigned, "assignee", patch.assignee(), sets, params, fields);
        set(patch.reviewRequired() != null && patch.reviewRequired() != task.reviewRequired(), "review_required",
                patch.reviewRequired(), sets, params, fields);
        set(patch.acceptanceCriteria() != null && !patch.acceptanceCriteria().equals(task.acceptanceCriteria()),
                "acceptance_criteria", patch.acceptanceCriteria() == null ? null : patch.acceptanceCriteria().toArray(String[]::new),
                sets, params, fields);
        if (patch.evidence() != null) {
            params.add(Evidences.toJson(patch.evidence()));
            sets.add("evidence = $" + params.size() + "::text::jsonb");
            fields.add("evidence");
        }
        if (review != null) {
            params.add(review.reviewer());
            sets.add("reviewed_by = $" + params.size() + (review.rejected() ? ", rejections = rejections + 1" : ""));
            fields.add("reviewed_by");
        }
        if (fields.isEmpty() && to == null) {
            return Uni.createFrom().item(fields);
        }
        if (to != null) {
            fields.addFirst("status");
            // A reassignment that comes with the move fences out the previous holder (lease-lost).
            sets.add(StatusMove.enter(to, to == TaskStatus.IN_PROGRESS ? leaseParam(params) : null, reassigned));
        } else {
            if (reassigned) {
                sets.add(task.status() == TaskStatus.IN_PROGRESS ? StatusMove.newHolding(leaseParam(params)) : StatusMove.FENCE);
            }
            sets.add(StatusMove.NEW_VERSION);
        }
        String sql = "UPDATE tasks SET " + String.join(", ", sets) + " WHERE id = $1";
        return client.preparedQuery(sql).execute(Tuple.from(params)).replaceWith(fields);
    }

    /** Does this patch start a new holding of the task: a move into in_progress, or a reassignment while in it? */
    static boolean startsHolding(Task task, TaskPatch patch, TaskStatus to) {
        return to == TaskStatus.IN_PROGRESS || (reassigns(task, patch) && to == null && task.status() == TaskStatus.IN_PROGRESS);
    }

    private static boolean reassigns(Task task, TaskPatch patch) {
        return patch.has("assignee") && !Objects.equals(patch.assignee(), task.assignee());
    }

    private String leaseParam(List<Object> params) {
        params.add(leases.seconds());
        return "$" + params.size();
    }

    private static void set(boolean changed, String column, Object value, List<String> sets, List<Object> params,
                            List<String> fields) {
        if (!changed) {
            return;
        }
        params.add(value);
        sets.add(column + " = $" + params.size());
        fields.add(column);
    }

    /**
     * Renews the lease of an in_progress task held by {@code holder}: any write of the holder on its task proves it
     * is alive. Bookkeeping only: no new version, no event.
     */
    public Uni<Void> renewLease(SqlClient client, long taskId, String holder) {
        return client.preparedQuery("""
                        UPDATE tasks SET lease_expires_at = now() + make_interval(secs => $3)
                        WHERE id = $1 AND assignee = $2 AND status = 'in_progress'
                        """)
                .execute(Tuple.of(taskId, holder, leases.seconds()))
                .replaceWithVoid();
    }

    /**
     * Gives every in_progress task of {@code agent} back: todo, its holding ended; unassigned unless
     * {@code keepAssignee} (a budget stop keeps it for the paused agent). @return their ids
     */
    Uni<RowSet<Row>> releaseHeldBy(SqlClient client, String agent, boolean keepAssignee) {
        return client.preparedQuery("UPDATE tasks SET assignee = CASE WHEN $2 THEN assignee END, "
                        + StatusMove.enter(TaskStatus.TODO, null, true)
                        + " WHERE assignee = $1 AND status = 'in_progress' RETURNING id")
                .execute(Tuple.of(agent, keepAssignee));
    }

    /**
     * in_progress tasks whose lease expired more than {@code afterSeconds} ago go back to todo, unassigned unless
     * {@code keepAssignee}. @return id, previous_assignee and expired_at of each
     */
    Uni<RowSet<Row>> requeueExpired(SqlClient client, int batch, double afterSeconds, boolean keepAssignee) {
        return client.preparedQuery("""
                        WITH expired AS (
                            SELECT id, assignee, lease_expires_at FROM tasks
                            WHERE status = 'in_progress' AND lease_expires_at < now() - make_interval(secs => $2)
                            ORDER BY id LIMIT $1 FOR NO KEY UPDATE SKIP LOCKED)
                        UPDATE tasks t
                        SET assignee = CASE WHEN $3 THEN t.assignee END, %s
                        FROM expired
                        WHERE t.id = expired.id
                        RETURNING t.id, expired.assignee AS previous_assignee, expired.lease_expires_at AS expired_at
                        """.formatted(StatusMove.enter(TaskStatus.TODO, null, true)))
                .execute(Tuple.of(batch, afterSeconds, keepAssignee));
    }

    /**
     * A claim whose answer could not be delivered (its client went away): the task goes back to todo at once, as a
     * requeue after an expired lease would do it, unassigned unless {@code keepAssignee}. Only while the holding the
     * claim started ({@code leaseEpoch}) is still the current one. @return previous_assignee, when it moved
     */
    Uni<RowSet<Row>> giveBackUndelivered(SqlClient client, long id, long leaseEpoch, boolean keepAssignee) {
        return client.preparedQuery("""
                        WITH held AS (SELECT id, assignee FROM tasks
                                      WHERE id = $1 AND lease_epoch = $2 AND status = 'in_progress' FOR NO KEY UPDATE)
                        UPDATE tasks t
                        SET assignee = CASE WHEN $3 THEN t.assignee END, %s
                        FROM held
                        WHERE t.id = held.id
                        RETURNING held.assignee AS previous_assignee
                        """.formatted(StatusMove.enter(TaskStatus.TODO, null, true)))
                .execute(Tuple.of(id, leaseEpoch, keepAssignee));
    }

    /** A blocked task whose blockers are all done returns to todo. @return one row (blockers) when it moved */
    Uni<RowSet<Row>> unblock(SqlClient client, long id) {
        // RETURNING sees the new row (blocked_on already cleared): the blockers are read from the row before.
        return client.preparedQuery("""
                        WITH before AS (SELECT id, blocked_on FROM tasks WHERE id = $1 AND status = 'blocked')
                        UPDATE tasks t SET %s
                        FROM before WHERE t.id = before.id
                        RETURNING (SELECT array_agg(b ORDER BY b) FROM unnest(before.blocked_on) b) AS blockers
                        """.formatted(StatusMove.enter(TaskStatus.TODO, null, false)))
                .execute(Tuple.of(id));
    }

    /**
     * Cancels {@code root} if it is still open, and those of {@code dependents} that have not started (todo,
     * blocked), all locked in id order. A task that was in progress has its holding ended (the lease and a new lease
     * epoch) and is remembered for its holder's next heartbeat ({@link #HEARTBEAT_CANCELED}).
     *
     * @return per canceled task, in id order: id, previous_status, holder (the assignee)
     */
    Uni<RowSet<Row>> cancel(SqlClient client, long root, List<Long> dependents) {
        return client.preparedQuery("""
                        WITH target AS (
                            SELECT id, status, assignee FROM tasks
                            WHERE (id = $1 AND status IN ('todo', 'blocked', 'in_progress', 'in_review'))
                               OR (id = ANY($2::bigint[]) AND status IN ('todo', 'blocked'))
                            ORDER BY id FOR NO KEY UPDATE),
                        canceled AS (
                            UPDATE tasks t SET %s
                            FROM target WHERE t.id = target.id
                            RETURNING t.id, target.status AS previous_status, target.assignee AS holder),
                        held AS (
                            INSERT INTO canceled_holdings (agent, task_id)
                            SELECT holder, id FROM canceled WHERE previous_status = 'in_progress' AND holder IS NOT NULL
                            ON CONFLICT (agent, task_id) DO UPDATE SET canceled_at = excluded.canceled_at, reported_at = NULL)
                        SELECT id, previous_status, holder FROM canceled ORDER BY id
                        """.formatted(StatusMove.enter(TaskStatus.CANCELED, null, true)))
                .execute(Tuple.of(root, dependents.toArray(Long[]::new)));
    }

    /**
     * A question blocks its task. The holder of an in_progress task keeps its lease epoch: the answer gives the task
     * back to it ({@link #returnFromQuestion}).
     */
    public Uni<Void> blockForQuestion(SqlClient client, long id) {
        return client.preparedQuery("UPDATE tasks SET " + StatusMove.enter(TaskStatus.BLOCKED, null, false) + " WHERE id = $1")
                .execute(Tuple.of(id)).replaceWithVoid();
    }

    /** An answered question's blocked task returns to {@code to} (in_progress: the asker's lease renewed). */
    public Uni<Void> returnFromQuestion(SqlClient client, long id, TaskStatus to) {
        boolean holding = to == TaskStatus.IN_PROGRESS;
        return client.preparedQuery("UPDATE tasks SET " + StatusMove.resume(to, holding ? "$2" : null)
                        + " WHERE id = $1 AND status = 'blocked'")
                .execute(holding ? Tuple.of(id, leases.seconds()) : Tuple.of(id)).replaceWithVoid();
    }

    /** Sets needsAttention with {@code reason} on the tasks {@code select} picks (its parameters). @return their ids */
    Uni<RowSet<Row>> flagAttention(SqlClient client, String reason, String select, Tuple params) {
        return client.preparedQuery("""
                        UPDATE tasks SET needs_attention = true, attention_reason = '%s', attention_since = now(), %s
                        WHERE id IN (%s)
                        RETURNING id
                        """.formatted(reason, StatusMove.NEW_VERSION, select))
                .execute(params);
    }

    /** Clears needsAttention whose cause went away (the holder renewed, the task moved on). @return their ids */
    Uni<RowSet<Row>> clearResolvedAttention(SqlClient client, int batch, double staleAfterSeconds,
                                            double questionStaleAfterSeconds) {
        return client.preparedQuery("""
                        UPDATE tasks SET %s, %s
                        WHERE id IN (
                            SELECT id FROM tasks
                            WHERE needs_attention
                              AND NOT (attention_reason = 'lease-expired' AND status = 'in_progress' AND lease_expires_at < now())
                              AND NOT (attention_reason = 'stale-blocked' AND status = 'blocked'
                                       AND blocked_at < now() - make_interval(secs => $2))
                              AND NOT (attention_reason = 'unanswered-question' AND status = 'blocked'
                                       AND EXISTS (SELECT 1 FROM questions q WHERE q.task_id = tasks.id AND q.state = 'open'
                                                   AND q.asked_at < now() - make_interval(secs => $3)))
                            ORDER BY id LIMIT $1 FOR NO KEY UPDATE SKIP LOCKED)
                        RETURNING id
                        """.formatted(StatusMove.CLEAR_ATTENTION, StatusMove.NEW_VERSION))
                .execute(Tuple.of(batch, staleAfterSeconds, questionStaleAfterSeconds));
    }

    /** Replaces a task's dependencies; a self-resolving blockage keeps only blockers still among them. */
    Uni<Void> replaceDependencies(SqlClient client, long id, List<Long> dependsOn) {
        return client.preparedQuery("""
                        WITH removed AS (DELETE FROM task_dependencies
                                         WHERE task_id = $1 AND NOT (depends_on = ANY($2::bigint[]))),
                             inserted AS (INSERT INTO task_dependencies (task_id, depends_on)
                                          SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING)
                        UPDATE tasks SET %s,
                               blocked_on = CASE WHEN blocked_on IS NULL THEN NULL ELSE
                                   NULLIF(ARRAY(SELECT b FROM unnest(blocked_on) b WHERE b = ANY($2::bigint[])), '{}') END
                        WHERE id = $1
                        """.formatted(StatusMove.NEW_VERSION))
                .execute(Tuple.of(id, dependsOn.toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /**
     * Adds {@code blockers} to the task's dependencies and to its self-resolving blockage.
     *
     * @param newVersion whether this is the change's only write (else the version already moved once)
     */
    Uni<Void> addBlockers(SqlClient client, long id, List<Long> blockers, boolean newVersion) {
        return client.preparedQuery("""
                        WITH inserted AS (INSERT INTO task_dependencies (task_id, depends_on)
                                          SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING)
                        UPDATE tasks
                        SET blocked_on = ARRAY(SELECT DISTINCT b FROM unnest(coalesce(blocked_on, '{}') || $2::bigint[]) b ORDER BY b),
                            version = version + $3
                        WHERE id = $1
                        """)
                .execute(Tuple.of(id, blockers.toArray(Long[]::new), newVersion ? 1 : 0))
                .replaceWithVoid();
    }

    /** Tasks that depended on {@code failedId} now depend on its retry. @return their ids */
    Uni<RowSet<Row>> moveDependents(SqlClient client, long failedId, long retryId) {
        return client.preparedQuery("""
                        WITH moved AS (UPDATE task_dependencies SET depends_on = $2 WHERE depends_on = $1 RETURNING task_id)
                        UPDATE tasks SET %s, blocked_on = array_replace(blocked_on, $1, $2)
                        WHERE id IN (SELECT task_id FROM moved)
                        RETURNING id
                        """.formatted(StatusMove.NEW_VERSION))
                .execute(Tuple.of(failedId, retryId));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Review leases and heartbeats (added by the "correctness" branch): one method, used by the heartbeat.

    /**
     * Renews the review lease of the task the heartbeat names when the caller holds its review (the task still
     * in_review, {@code review_holder} the caller; even past the lease, as long as no other reviewer took it), as a
     * CTE of the heartbeat's statement ({@code agent} package) beside {@link #HEARTBEAT_RENEWAL}: $2 task id, $3 lease
     * seconds, $4 agent name. Bookkeeping like the work lease's renewal: no new version, no event.
     */
    public static String heartbeatReviewRenewal() {
        return """
                UPDATE tasks SET review_lease_expires_at = now() + make_interval(secs => $3)
                WHERE id = $2 AND review_holder = $4 AND status = 'in_review'
                RETURNING review_lease_expires_at AS lease_expires_at""";
    }
}
