package dev.olympus.task;

import dev.olympus.auth.Caller;
import dev.olympus.auth.Role;
import dev.olympus.db.Transactions;
import dev.olympus.event.Event;
import dev.olympus.event.EventRepository;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import dev.olympus.web.Cursors;
import dev.olympus.web.Page;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.ToLongFunction;

/** Comments on tasks, and a task's history. */
@ApplicationScoped
public class CommentService {

    private final Transactions transactions;
    private final TaskRepository tasks;
    private final CommentRepository comments;
    private final EventRepository events;
    private final TaskWrites writes;

    public CommentService(Transactions transactions, TaskRepository tasks, CommentRepository comments, EventRepository events,
                          TaskWrites writes) {
        this.transactions = transactions;
        this.tasks = tasks;
        this.comments = comments;
        this.events = events;
        this.writes = writes;
    }

    public Uni<Comment> add(Caller caller, long taskId, String body) {
        if (caller.is(Role.OBSERVER)) {
            throw ProblemException.forbidden("Observers are read-only.");
        }
        return transactions.inTransaction(tx -> comments.insert(tx.conn(), taskId, caller.name(), body, false)
                .onItem().ifNull().failWith(() -> TaskChecks.notFound(taskId))
                // A comment of the holder on its in_progress task proves it is alive: the lease is renewed.
                .call(comment -> writes.renewLease(tx.conn(), taskId, caller.name()))
                .invoke(comment -> tx.emit(NewEvent.task(EventType.TASK_COMMENTED, caller.name(), taskId, new JsonObject()
                        .put("commentId", comment.id())
                        .put("author", comment.author())
                        .put("body", comment.body())))));
    }

    public Uni<Comment> get(long taskId, long commentId) {
        return comments.find(transactions.pool(), taskId, commentId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Comment " + commentId + " of task " + taskId));
    }

    public Uni<Page<Comment>> list(long taskId, String cursor, int limit) {
        long after = after(cursor);
        return requireTask(taskId)
                .chain(() -> comments.list(transactions.pool(), taskId, after, limit + 1))
                .map(found -> page(found, limit, Comment::id));
    }

    public Uni<Page<Event>> history(long taskId, String cursor, int limit) {
        long after = after(cursor);
        return requireTask(taskId)
                .chain(() -> events.forTask(transactions.pool(), taskId, after, limit + 1))
                .map(found -> page(found, limit, Event::id));
    }

    private Uni<Void> requireTask(long taskId) {
        return tasks.find(transactions.pool(), taskId)
                .onItem().ifNull().failWith(() -> TaskChecks.notFound(taskId))
                .replaceWithVoid();
    }

    private static long after(String cursor) {
        return cursor == null ? 0 : Cursors.decodeLong(Cursors.decode(cursor, 1)[0]);
    }

    static <T> Page<T> page(List<T> found, int limit, ToLongFunction<T> id) {
        boolean more = found.size() > limit;
        List<T> items = more ? found.subList(0, limit) : found;
        return new Page<>(items, more ? Cursors.encode(Long.toString(id.applyAsLong(items.getLast()))) : null);
    }
}
