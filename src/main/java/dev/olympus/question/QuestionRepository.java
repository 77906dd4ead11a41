package dev.olympus.question;

import dev.olympus.auth.Caller;
import dev.olympus.auth.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Every statement on the {@code questions} table. */
@ApplicationScoped
public class QuestionRepository {

    private static final String COLUMNS = """
            id, task_id, asked_by, addressed_to, question, options, state, asked_at, answer, choice, answered_by,
            answered_at""";

    /** A list's filters; null means any. */
    record Filter(String state, Addressee to, Long taskId, long afterId, int limit) {}

    Uni<Question> insert(SqlClient client, long taskId, String askedBy, Addressee to, String question, List<String> options,
                         String previousStatus) {
        return client.preparedQuery("""
                        INSERT INTO questions (task_id, asked_by, addressed_to, to_kind, question, options, previous_status)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)
                        RETURNING\s""" + COLUMNS)
                .execute(Tuple.from(Arrays.asList(taskId, askedBy, to.name(), to.kindWire(), question,
                        options.toArray(String[]::new), previousStatus)))
                .map(QuestionRepository::first);
    }

    Uni<Question> find(SqlClient client, long id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM questions WHERE id = $1")
                .execute(Tuple.of(id)).map(QuestionRepository::first);
    }

    /** The question, locked, with the status its task returns to. @return null when there is none */
    Uni<Locked> lock(SqlClient client, long id) {
        return client.preparedQuery("SELECT " + COLUMNS + ", to_kind, previous_status FROM questions WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Locked(toQuestion(row), addressee(row), row.getString("previous_status"));
                });
    }

    record Locked(Question question, Addressee to, String previousStatus) {}

    Uni<Addressee> addressee(SqlClient client, long id) {
        return client.preparedQuery("SELECT to_kind, addressed_to FROM questions WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 0 ? null : addressee(rows.iterator().next()));
    }

    Uni<Question> markAnswered(SqlClient client, long id, String answer, String choice, String answeredBy) {
        return client.preparedQuery("""
                        UPDATE questions SET state = 'answered', answer = $2, choice = $3, answered_by = $4, answered_at = now()
                        WHERE id = $1 AND state = 'open'
                        RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(id, answer, choice, answeredBy)).map(QuestionRepository::first);
    }

    /** The status a new question on a blocked task returns it to: that of the question already open on it, if any. */
    Uni<String> openPreviousStatus(SqlClient client, long taskId) {
        return client.preparedQuery("SELECT previous_status FROM questions WHERE task_id = $1 AND state = 'open' ORDER BY id LIMIT 1")
                .execute(Tuple.of(taskId))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getString(0));
    }

    Uni<Boolean> anyOpen(SqlClient client, long taskId) {
        return client.preparedQuery("SELECT EXISTS (SELECT 1 FROM questions WHERE task_id = $1 AND state = 'open')")
                .execute(Tuple.of(taskId)).map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** A page of the questions {@code viewer} may see (docs/questions.md, "Who sees what"), oldest first. */
    Uni<List<Question>> list(SqlClient client, Caller viewer, Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM questions WHERE id > $1");
        List<Object> params = new ArrayList<>();
        params.add(filter.afterId());
        visibility(viewer, sql, params);
        if (filter.state() != null) {
            params.add(filter.state());
            sql.append(" AND state = $").append(params.size());
        }
        if (filter.to() != null) {
            params.add(filter.to().kindWire());
            sql.append(" AND to_kind = $").append(params.size());
            params.add(filter.to().name());
            sql.append(" AND addressed_to = $").append(params.size());
        }
        if (filter.taskId() != null) {
            params.add(filter.taskId());
            sql.append(" AND task_id = $").append(params.size());
        }
        params.add(filter.limit());
        sql.append(" ORDER BY id LIMIT $").append(params.size());
        return client.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(QuestionRepository::all);
    }

    /** Operators and observers see all; orchestrators those to orchestrator, human or them (and their own); others theirs. */
    static void visibility(Caller viewer, StringBuilder sql, List<Object> params) {
        if (viewer.is(Role.OPERATOR) || viewer.is(Role.OBSERVER)) {
            return;
        }
        params.add(viewer.name());
        String me = "$" + params.size();
        if (viewer.is(Role.ORCHESTRATOR)) {
            sql.append(" AND (to_kind IN ('orchestrator', 'human') OR addressed_to = ").append(me)
                    .append(" OR asked_by = ").append(me).append(')');
        } else {
            sql.append(" AND (asked_by = ").append(me).append(" OR (to_kind = 'agent' AND addressed_to = ").append(me).append("))");
        }
    }

    private static Addressee addressee(Row row) {
        return Addressee.of(row.getString("to_kind"), row.getString("addressed_to"));
    }

    private static Question first(RowSet<Row> rows) {
        return rows.rowCount() == 0 ? null : toQuestion(rows.iterator().next());
    }

    private static List<Question> all(RowSet<Row> rows) {
        List<Question> found = new ArrayList<>(rows.rowCount());
        rows.forEach(row -> found.add(toQuestion(row)));
        return found;
    }

    private static Question toQuestion(Row row) {
        return new Question(row.getLong("id"), row.getLong("task_id"), row.getString("asked_by"), row.getString("addressed_to"),
                row.getString("question"), List.of(row.getArrayOfStrings("options")), row.getString("state"),
                row.getOffsetDateTime("asked_at").toInstant(), row.getString("answer"), row.getString("choice"),
                row.getString("answered_by"),
                row.getOffsetDateTime("answered_at") == null ? null : row.getOffsetDateTime("answered_at").toInstant());
    }
}
