package dev.olympus.task;

import dev.olympus.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** SQL for comments. Inserting one also counts it on the task, in the same statement. */
@ApplicationScoped
public class CommentRepository {

    public Uni<Comment> insert(SqlClient client, long taskId, String author, String body, boolean system) {
        return client.preparedQuery("""
                        WITH counted AS (%s)
                        INSERT INTO comments (task_id, author, body, system)
                        SELECT id, $2, $3, $4 FROM counted
                        RETURNING id, task_id, author, body, system, created_at
                        """.formatted(TaskWrites.COUNT_COMMENT))
                .execute(Tuple.of(taskId, author, body, system))
                .map(rows -> rows.rowCount() == 0 ? null : toComment(rows.iterator().next()));
    }

    public Uni<List<Comment>> list(SqlClient client, long taskId, long afterId, int limit) {
        return client.preparedQuery("""
                        SELECT id, task_id, author, body, system, created_at FROM comments
                        WHERE task_id = $1 AND id > $2 ORDER BY id LIMIT $3
                        """)
                .execute(Tuple.of(taskId, afterId, limit))
                .map(rows -> {
                    List<Comment> comments = new ArrayList<>(rows.rowCount());
                    rows.forEach(row -> comments.add(toComment(row)));
                    return comments;
                });
    }

    public Uni<Comment> find(SqlClient client, long taskId, long commentId) {
        return client.preparedQuery("""
                        SELECT id, task_id, author, body, system, created_at FROM comments WHERE task_id = $1 AND id = $2
                        """)
                .execute(Tuple.of(taskId, commentId))
                .map(rows -> rows.rowCount() == 0 ? null : toComment(rows.iterator().next()));
    }

    /**
     * Did {@code author} comment on the task within {@code window}? (the blocking rule) A blank comment (one written
     * before blank texts were refused) is no reason: {@code has_text} is the rule of StrictStrings.blank.
     */
    public Uni<Boolean> commentedWithin(SqlClient client, long taskId, String author, Duration window) {
        return client.preparedQuery("""
                        SELECT EXISTS (SELECT 1 FROM comments WHERE task_id = $1 AND author = $2 AND NOT system
                                       AND has_text(body) AND created_at > now() - make_interval(secs => $3))
                        """)
                .execute(Tuple.of(taskId, author, (double) window.toMillis() / 1000.0))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    static Comment toComment(Row row) {
        return new Comment(row.getLong("id"), row.getLong("task_id"), row.getString("author"), row.getString("body"),
                row.getBoolean("system"), Rows.instant(row, "created_at"));
    }
}
