package dev.olympus.task;

import dev.olympus.db.Transactions;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Gives back a task whose claim could not be delivered (a waiting claim whose client went away): at once, the way
 * a requeue after an expired lease would, so that nobody waits {@code olympus.lease.requeue-after} for it: back to
 * {@code todo}, unassigned (unless {@code olympus.lease.requeue-keep-assignee}), a new lease epoch (any write the
 * lost client still makes with the old epoch gets 409 {@code lease-lost}), a system comment and the events.
 * Guarded by the epoch the claim handed out: if the holding moved on meanwhile, nothing happens.
 */
@ApplicationScoped
public class UndeliveredClaims {

    private final Transactions transactions;
    private final TaskWrites writes;
    private final TaskRepository tasks;
    private final CommentRepository comments;
    private final TaskUpdates updates;
    private final LeaseConfig leases;

    UndeliveredClaims(Transactions transactions, TaskWrites writes, TaskRepository tasks, CommentRepository comments, TaskUpdates updates,
                      LeaseConfig leases) {
        this.transactions = transactions;
        this.writes = writes;
        this.tasks = tasks;
        this.comments = comments;
        this.updates = updates;
        this.leases = leases;
    }

    /** Fire and forget: the give-back is logged when it fails, and the lease expiry covers it then. */
    public void giveBack(Task claimed) {
        giveBackNow(claimed).subscribe().with(
                given -> Log.debugf("Task %d given back: its claim could not be delivered", claimed.id()),
                failure -> Log.warnf("Task %d could not be given back (%s); its lease expiry will requeue it",
                        claimed.id(), failure.getMessage()));
    }

    Uni<Boolean> giveBackNow(Task claimed) {
        long id = claimed.id();
        return transactions.inTransaction(tx -> writes.giveBackUndelivered(tx.conn(), id, claimed.leaseEpoch(),
                        leases.requeueKeepAssignee())
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    String previous = rows.iterator().next().getString("previous_assignee");
                    String body = "The claim by " + previous + " could not be delivered (the client went away); back to todo"
                            + (leases.requeueKeepAssignee() ? "." : ", unassigned.");
                    return comments.insert(tx.conn(), id, TaskMaintenance.SYSTEM, body, true)
                            .chain(comment -> tasks.find(tx.conn(), id).invoke(task -> {
                                JsonObject snapshot = updates.snapshot(task);
                                tx.emit(NewEvent.task(EventType.TASK_STATUS_CHANGED, TaskMaintenance.SYSTEM, id, snapshot.copy()
                                        .put("from", TaskStatus.IN_PROGRESS.wire()).put("to", TaskStatus.TODO.wire())
                                        .put("reason", "claim-undelivered")));
                                if (task.assignee() == null) {
                                    tx.emit(NewEvent.task(EventType.TASK_ASSIGNED, TaskMaintenance.SYSTEM, id, snapshot.copy()
                                            .put("from", previous).put("to", null).put("reason", "claim-undelivered")));
                                }
                                tx.emit(NewEvent.task(EventType.TASK_COMMENTED, TaskMaintenance.SYSTEM, id, new JsonObject()
                                        .put("commentId", comment.id()).put("author", comment.author())
                                        .put("body", comment.body()).put("system", true)));
                            }))
                            .replaceWith(true);
                }));
    }
}
