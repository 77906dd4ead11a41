package dev.olympus.task;

import dev.olympus.db.Transactions;
import dev.olympus.db.Tx;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.question.QuestionsConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's work on tasks. Each step is one transaction over a bounded batch, and idempotent: it selects
 * rows still in the state it acts on, {@code FOR NO KEY UPDATE SKIP LOCKED} (a row being written right now is left for
 * the next tick; a row written since the step's snapshot is re-checked on its newest version), so running it
 * twice, or on two instances at once, changes each row and leaves each event at most once.
 */
@ApplicationScoped
public class TaskMaintenance {

    static final int BATCH = 500;
    static final String SYSTEM = "system";

    private final Transactions transactions;
    private final TaskWrites writes;
    private final CommentRepository comments;
    private final TaskUpdates updates;
    private final LeaseConfig leases;
    private final BlockedConfig blocked;
    private final QuestionsConfig questions;

    public TaskMaintenance(Transactions transactions, TaskWrites writes, CommentRepository comments, TaskUpdates updates, LeaseConfig leases,
                           BlockedConfig blocked, QuestionsConfig questions) {
        this.questions = questions;
        this.transactions = transactions;
        this.writes = writes;
        this.comments = comments;
        this.updates = updates;
        this.leases = leases;
        this.blocked = blocked;
    }

    /** in_progress tasks whose lease expired get needsAttention ({@code lease-expired}) and a task.attention event. */
    public Uni<Integer> flagExpiredLeases() {
        return flag("lease-expired", """
                SELECT id FROM tasks
                WHERE status = 'in_progress' AND lease_expires_at < now() AND attention_reason IS DISTINCT FROM 'lease-expired'
                ORDER BY id LIMIT $1 FOR NO KEY UPDATE SKIP LOCKED
                """, Tuple.of(BATCH));
    }

    /** Tasks blocked longer than {@code olympus.blocked.stale-after} get needsAttention ({@code stale-blocked}). */
    public Uni<Integer> flagStaleBlocked() {
        return flag("stale-blocked", """
                SELECT id FROM tasks
                WHERE status = 'blocked' AND blocked_at < now() - make_interval(secs => $2)
                  AND attention_reason IS DISTINCT FROM 'stale-blocked'
                  AND attention_reason IS DISTINCT FROM 'unanswered-question'
                ORDER BY id LIMIT $1 FOR NO KEY UPDATE SKIP LOCKED
                """, Tuple.of(BATCH, LeaseConfig.seconds(blocked.staleAfter())));
    }

    /**
     * Blocked tasks with a question open longer than {@code olympus.questions.stale-after} get needsAttention
     * ({@code unanswered-question}; it takes precedence over {@code stale-blocked}, being the more precise cause).
     */
    public Uni<Integer> flagUnansweredQuestions() {
        return flag("unanswered-question", """
                SELECT t.id FROM tasks t
                WHERE t.status = 'blocked' AND t.attention_reason IS DISTINCT FROM 'unanswered-question'
                  AND EXISTS (SELECT 1 FROM questions q WHERE q.task_id = t.id AND q.state = 'open'
                              AND q.asked_at < now() - make_interval(secs => $2))
                ORDER BY t.id LIMIT $1 FOR NO KEY UPDATE OF t SKIP LOCKED
                """, Tuple.of(BATCH, LeaseConfig.seconds(questions.staleAfter())));
    }

    /** needsAttention goes away when its cause did (e.g. the holder renewed its lease): task.updated. */
    public Uni<Integer> clearResolvedAttention() {
        return transactions.inTransaction(tx -> writes.clearResolvedAttention(tx.conn(), BATCH, LeaseConfig.seconds(blocked.staleAfter()),
                        LeaseConfig.seconds(questions.staleAfter()))
                .chain(rows -> findAll(tx, ids(rows)))
                .invoke(found -> found.forEach(task -> tx.emit(NewEvent.task(EventType.TASK_UPDATED, SYSTEM, task.id(),
                        updates.snapshot(task).put("fields", new JsonArray().add("needsAttention").add("attentionReason"))))))
                .map(List::size));
    }

    /**
     * in_progress tasks whose lease expired more than {@code olympus.lease.requeue-after} ago go back to todo:
     * unassigned (unless {@code olympus.lease.requeue-keep-assignee}), a new lease epoch (the old holder's writes
     * with its epoch now get 409 lease-lost), a system comment, and events.
     */
    public Uni<Integer> requeueExpiredLeases() {
        return transactions.inTransaction(tx -> writes.requeueExpired(tx.conn(), BATCH,
                        LeaseConfig.seconds(leases.requeueAfter()), leases.requeueKeepAssignee())
                .chain(rows -> {
                    Map<Long, Row> requeued = new HashMap<>();
                    rows.forEach(row -> requeued.put(row.getLong("id"), row));
                    return Multi.createFrom().iterable(new ArrayList<>(requeued.keySet()).stream().sorted().toList())
                            .onItem().transformToUniAndConcatenate(id -> requeued(tx, requeued.get(id)))
                            .collect().asList()
                            .map(List::size);
                }));
    }

    private Uni<Void> requeued(Tx tx, Row row) {
        long id = row.getLong("id");
        String previous = row.getString("previous_assignee");
        String body = "Lease expired at " + row.getOffsetDateTime("expired_at").toInstant()
                + (previous == null ? "" : " (held by " + previous + ")") + " and was not renewed within "
                + leases.requeueAfter().toSeconds() + " s; back to todo"
                + (leases.requeueKeepAssignee() || previous == null ? "." : ", unassigned.");
        return comments.insert(tx.conn(), id, SYSTEM, body, true)
                .chain(comment -> findAll(tx, List.of(id)).invoke(found -> found.forEach(task -> {
                    JsonObject snapshot = updates.snapshot(task);
                    tx.emit(NewEvent.task(EventType.TASK_STATUS_CHANGED, SYSTEM, id, snapshot.copy()
                            .put("from", TaskStatus.IN_PROGRESS.wire()).put("to", TaskStatus.TODO.wire())
                            .put("reason", "lease-expired")));
                    if (task.assignee() == null && previous != null) {
                        tx.emit(NewEvent.task(EventType.TASK_ASSIGNED, SYSTEM, id, snapshot.copy()
                                .put("from", previous).put("to", null).put("reason", "lease-expired")));
                    }
                    tx.emit(NewEvent.task(EventType.TASK_COMMENTED, SYSTEM, id, new JsonObject()
                            .put("commentId", comment.id()).put("author", comment.author())
                            .put("body", comment.body()).put("system", true)));
                })))
                .replaceWithVoid();
    }

    /*
     * Canceled holdings (V10, V10_1) that tell nobody anything any more: reported to the holder by a heartbeat and no
     * longer the task's current cancellation (it was reopened or canceled again, so TaskWrites.canceledUnder cannot
     * match them), or older than olympus.lease.canceled-holding-retention whatever they are. Kept: an unreported
     * one (the holder's next heartbeat lists it) and the reported one of a task still canceled (its holder's writes
     * get 409 task-canceled), both until the retention. $1 batch, $2 retention seconds. SKIP LOCKED: a row a
     * heartbeat or a cancel is writing right now is left for the next run; such a write sets reported_at or
     * canceled_at, which the lock's re-check sees.
     */
    private static final String PURGE_CANCELED_HOLDINGS = """
            DELETE FROM canceled_holdings
            WHERE (agent, task_id) IN (
                SELECT c.agent, c.task_id FROM canceled_holdings c
                WHERE c.canceled_at < now() - make_interval(secs => $2)
                   OR (c.reported_at IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = c.task_id AND t.status = 'canceled'
                                       AND t.completed_at = c.canceled_at))
                LIMIT $1 FOR UPDATE SKIP LOCKED)
            """;

    /** Deletes the canceled holdings that carry nothing any more (at most a batch per run). @return how many */
    public Uni<Integer> purgeCanceledHoldings() {
        return transactions.pool().preparedQuery(PURGE_CANCELED_HOLDINGS)
                .execute(Tuple.of(BATCH, LeaseConfig.seconds(leases.canceledHoldingRetention())))
                .map(RowSet::rowCount);
    }

    private Uni<Integer> flag(String reason, String select, Tuple params) {
        return transactions.inTransaction(tx -> writes.flagAttention(tx.conn(), reason, select, params)
                .chain(rows -> findAll(tx, ids(rows)))
                .invoke(found -> found.forEach(task -> tx.emit(NewEvent.task(EventType.TASK_ATTENTION, SYSTEM, task.id(),
                        updates.snapshot(task).put("reason", reason)))))
                .map(List::size));
    }

    private static List<Long> ids(RowSet<Row> rows) {
        List<Long> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.getLong("id")));
        return ids;
    }

    private Uni<List<Task>> findAll(Tx tx, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return tx.conn().preparedQuery("SELECT " + TaskRepository.COLUMNS + " FROM tasks t WHERE t.id = ANY($1::bigint[]) ORDER BY t.id")
                .execute(Tuple.of((Object) ids.toArray(Long[]::new)))
                .map(TaskRepository::all);
    }
}
