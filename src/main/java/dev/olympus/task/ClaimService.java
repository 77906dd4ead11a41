package dev.olympus.task;

import dev.olympus.auth.Caller;
import dev.olympus.auth.KillFence;
import dev.olympus.auth.Role;
import dev.olympus.db.Transactions;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The atomic claim: one statement ({@link TaskWrites#CLAIM}) picks the highest-priority, oldest, ready todo task the caller may take
 * ({@code FOR NO KEY UPDATE SKIP LOCKED}: concurrent claimers never wait for each other and never get the same
 * task) and starts it with a fresh lease and lease epoch.
 *
 * <p>The WIP limit. For an agent with a {@code wipLimit} the statement also takes the agent's WIP lock (see
 * {@link WipLimits}), held to commit, and counts the agent's in_progress tasks. That count comes from the
 * statement's snapshot, which may predate a concurrent claim of the same agent that committed while this one
 * waited for the lock; so the claim is verified by a second statement (a new snapshot, under the lock) and rolled
 * back when it went past the limit. Agents without a limit pay for one statement only.
 *
 * <p>The kill. The claim statement is sent right behind the caller's {@link KillFence}, so a claim racing a kill
 * either commits first, and the kill releases the task, or waits for the kill and then finds the agent killed:
 * nothing is claimed.
 */
@ApplicationScoped
public class ClaimService {

    /** Under the WIP lock, in a new snapshot: how many tasks the agent holds now, the claimed one included. */
    private static final String HELD = "SELECT count(*)::int AS n FROM tasks WHERE assignee = $1 AND status = 'in_progress'";

    /** Rolls a claim back that went past the WIP limit; answered as "nothing to claim". */
    private static final class OverLimit extends RuntimeException {
        OverLimit() {
            super(null, null, false, false);
        }
    }

    private final Transactions transactions;
    private final TaskWrites writes;
    private final TaskUpdates updates;

    public ClaimService(Transactions transactions, TaskWrites writes, TaskUpdates updates) {
        this.transactions = transactions;
        this.writes = writes;
        this.updates = updates;
    }

    /**
     * Claims one task for the caller.
     *
     * @param labels when not empty, only tasks carrying at least one of them
     * @return the claimed task, or null when there is none to take (or the caller is at its WIP limit)
     */
    public Uni<Task> claim(Caller caller, List<String> labels) {
        if (caller.is(Role.OBSERVER)) {
            throw ProblemException.forbidden("Observers are read-only; claiming takes a task.");
        }
        String[] narrowTo = labels == null || labels.isEmpty() ? null : labels.toArray(String[]::new);
        return transactions.inTransaction(tx -> Uni.combine().all()
                        .unis(KillFence.hold(tx.conn(), caller), writes.claim(tx.conn(), caller.agentId(), narrowTo))
                        .with((fenced, rows) -> rows)
                        .chain(rows -> {
                            if (rows.rowCount() == 0) {
                                return Uni.createFrom().nullItem();
                            }
                            Row row = rows.iterator().next();
                            Integer limit = row.getInteger("wip_limit");
                            Uni<Row> verified = limit == null ? Uni.createFrom().item(row)
                                    : tx.conn().preparedQuery(HELD).execute(Tuple.of(caller.name())).map(held -> {
                                        if (held.iterator().next().getInteger("n") > limit) {
                                            throw new OverLimit();
                                        }
                                        return row;
                                    });
                            return verified.map(claimed -> started(tx, caller, claimed));
                        }))
                .onFailure(OverLimit.class).recoverWithNull();
    }

    private Task started(dev.olympus.db.Tx tx, Caller caller, Row row) {
        Task task = TaskRepository.toTask(row);
        String previous = row.getString("previous_assignee");
        JsonObject snapshot = updates.snapshot(task);
        tx.emit(NewEvent.task(EventType.TASK_STATUS_CHANGED, caller.name(), task.id(), snapshot.copy()
                .put("from", TaskStatus.TODO.wire()).put("to", TaskStatus.IN_PROGRESS.wire())
                .put("claimed", true)));
        if (previous == null) {
            tx.emit(NewEvent.task(EventType.TASK_ASSIGNED, caller.name(), task.id(), snapshot
                    .put("from", null).put("to", caller.name()).put("claimed", true)));
        }
        return task;
    }
}
