package dev.olympus.task;

import dev.olympus.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.olympus.usage.UsageColumns;
import dev.olympus.usage.UsageTotals;

/** Reads of tasks, and the dependency edges of a new task (every write of {@code tasks} is in {@link TaskWrites}). */
@ApplicationScoped
public class TaskRepository {

    /**
     * A task as the API shows it, selected from {@code tasks t} (also usable in {@code RETURNING}). The derived fields
     * cost one index probe per table each: {@code dependencies} holds each dependency's id, negated while that
     * dependency is not done ({@code dependsOn} and {@code ready} from one probe, see {@link #dependencies}), and the
     * task's usage comes as one array ({@link UsageColumns#TASK}).
     */
    static final String COLUMNS = """
            t.id, t.title, t.description, t.status, t.priority, t.priority_rank, t.assignee, t.created_by, t.labels,
            t.attempt, t.max_attempts, t.retry_of, t.result, t.needs_attention, t.attention_reason,
            t.lease_expires_at, t.lease_epoch, t.version, t.created_at, t.updated_at, t.started_at, t.completed_at,
            t.comment_count, t.review_required, t.acceptance_criteria, t.evidence::text AS evidence, t.reviewed_by,
            t.rejections, t.review_holder, t.review_lease_expires_at, t.parent_id,
            (SELECT ARRAY[count(*), count(*) FILTER (WHERE c.status IN ('todo', 'in_progress', 'in_review', 'blocked')),
                          count(*) FILTER (WHERE c.status = 'done'), count(*) FILTER (WHERE c.status = 'failed'),
                          count(*) FILTER (WHERE c.status = 'canceled')]
             FROM tasks c WHERE c.parent_id = t.id) AS children,
            (SELECT array_agg(CASE WHEN p.status = 'done' THEN d.depends_on ELSE -d.depends_on END ORDER BY d.depends_on)
             FROM task_dependencies d JOIN tasks p ON p.id = d.depends_on WHERE d.task_id = t.id) AS dependencies,
            """ + UsageColumns.TASK + """
            """;

    /** One task by id (bench/pgbench/get-by-id.sql runs it too). */
    static final String FIND = "SELECT " + COLUMNS + " FROM tasks t WHERE t.id = $1";

    public Uni<Task> find(SqlClient client, long id) {
        return client.preparedQuery(FIND)
                .execute(Tuple.of(id))
                .map(TaskRepository::first);
    }

    /** Locks the row for the rest of the transaction: concurrent writers of one task queue up here. */
    public Uni<Task> findForUpdate(SqlClient client, long id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM tasks t WHERE t.id = $1 FOR UPDATE OF t")
                .execute(Tuple.of(id))
                .map(TaskRepository::first);
    }

    public Uni<Void> insertDependencies(SqlClient client, long taskId, List<Long> dependsOn) {
        if (dependsOn == null || dependsOn.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("""
                        INSERT INTO task_dependencies (task_id, depends_on)
                        SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING
                        """)
                .execute(Tuple.of(taskId, dependsOn.toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /** The dependency edges of new tasks, {task, dependsOn} pairs, in one statement. */
    Uni<Void> insertDependencies(SqlClient client, List<long[]> edges) {
        if (edges.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] from = new Long[edges.size()];
        Long[] to = new Long[edges.size()];
        for (int i = 0; i < edges.size(); i++) {
            from[i] = edges.get(i)[0];
            to[i] = edges.get(i)[1];
        }
        return client.preparedQuery("""
                        INSERT INTO task_dependencies (task_id, depends_on)
                        SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING
                        """)
                .execute(Tuple.of(from, to))
                .replaceWithVoid();
    }

    /** The tasks {@code ids}, in that order. */
    Uni<List<Task>> findAll(SqlClient client, List<Long> ids) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM tasks t WHERE t.id = ANY($1::bigint[]) ORDER BY t.id")
                .execute(Tuple.of((Object) ids.toArray(Long[]::new)))
                .map(rows -> {
                    Map<Long, Task> byId = new HashMap<>();
                    all(rows).forEach(task -> byId.put(task.id(), task));
                    return ids.stream().map(byId::get).toList();
                });
    }

    /** The tasks that depend on {@code id}, directly or through other tasks, and have not started (todo, blocked). */
    public Uni<List<Long>> notStartedDependents(SqlClient client, long id) {
        return client.preparedQuery("""
                        WITH RECURSIVE down(id) AS (
                            SELECT d.task_id FROM task_dependencies d WHERE d.depends_on = $1
                            UNION
                            SELECT d.task_id FROM task_dependencies d JOIN down ON d.depends_on = down.id)
                        SELECT t.id FROM tasks t JOIN down ON t.id = down.id
                        WHERE t.status IN ('todo', 'blocked') AND t.id <> $1
                        ORDER BY t.id
                        """)
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getLong(0)));
                    return ids;
                });
    }

    /** Was task {@code id} canceled while {@code agent} held it (and not reopened since)? */
    public Uni<Boolean> canceledUnder(SqlClient client, long id, String agent) {
        return client.preparedQuery("SELECT " + TaskWrites.canceledUnder("$1", "$2") + " AS held")
                .execute(Tuple.of(id, agent))
                .map(rows -> rows.iterator().next().getBoolean("held"));
    }

    /** @return the ids among {@code ids} that name no task. */
    public Uni<List<Long>> missing(SqlClient client, List<Long> ids) {
        return client.preparedQuery("""
                        SELECT w.id FROM unnest($1::bigint[]) AS w(id)
                        WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = w.id)
                        """)
                .execute(Tuple.of((Object) ids.toArray(Long[]::new)))
                .map(rows -> {
                    List<Long> missing = new ArrayList<>();
                    rows.forEach(row -> missing.add(row.getLong(0)));
                    return missing;
                });
    }

    /**
     * One page of tasks. The page's ids are found first (filters, keyset, order and limit on the bare table, so
     * the indexes serve the order), then the columns with their per-row subqueries are computed for that page only.
     */
    public Uni<List<Task>> list(SqlClient client, TaskFilter filter) {
        Statement list = listStatement(filter);
        return client.preparedQuery(list.sql()).execute(Tuple.from(list.params())).map(TaskRepository::all);
    }

    /** A statement with its parameters. */
    record Statement(String sql, List<Object> params) {}

    /** The statement of {@link #list} (bench/pgbench/list-by-assignee.sql runs it too, see BenchStatementsTest). */
    static Statement listStatement(TaskFilter filter) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder("TRUE");
        anyOf(where, params, "t.assignee", filter.assignees().toArray(String[]::new));
        anyOf(where, params, "t.status", filter.statuses().stream().map(TaskStatus::wire).toArray(String[]::new));
        anyOf(where, params, "t.priority", filter.priorities().stream().map(Priority::wire).toArray(String[]::new));
        anyOf(where, params, "t.created_by", filter.createdBy().toArray(String[]::new));
        if (!filter.labels().isEmpty()) {
            params.add(filter.labels().toArray(String[]::new));
            where.append(" AND t.labels && $").append(params.size()).append("::text[]");
        }
        if (filter.parentId() != null) {
            params.add(filter.parentId());
            where.append(" AND t.parent_id = $").append(params.size());
        }
        if (filter.needsAttention() != null) {
            params.add(filter.needsAttention());
            where.append(" AND t.needs_attention = $").append(params.size());
        }
        if (filter.updatedSince() != null) {
            params.add(filter.updatedSince().atOffset(java.time.ZoneOffset.UTC));
            where.append(" AND t.updated_at >= $").append(params.size());
        }
        if (filter.q() != null) {
            // ILIKE with the pattern characters escaped: the text is searched for literally.
            params.add("%" + filter.q().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            where.append(" AND (t.title ILIKE $").append(params.size())
                    .append(" OR t.description ILIKE $").append(params.size()).append(')');
        }
        if (filter.ready() != null) {
            where.append(filter.ready() ? " AND NOT " : " AND ").append("""
                    EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks p ON p.id = d.depends_on
                            WHERE d.task_id = t.id AND p.status <> 'done')""");
        }
        if (filter.afterId() != null) {
            params.add(filter.afterRank());
            params.add(filter.afterId());
            where.append(" AND (t.priority_rank, t.id) > ($").append(params.size() - 1)
                    .append("::smallint, $").append(params.size()).append(')');
        }
        // The limit is written into the statement, not bound: with LIMIT $n PostgreSQL's generic plan assumes a tenth
        // of the matching rows, costs more than any custom plan, and so never replaces them: every list was planned
        // afresh (1.1 ms, more than it took to run). A literal lets the prepared statement keep its plan. (The limit
        // is a validated integer, 1 to Limits' maximum, so few distinct statements come of it.)
        String sql = "SELECT " + COLUMNS + " FROM (SELECT t.id FROM tasks t WHERE " + where
                + " ORDER BY t.priority_rank, t.id LIMIT " + (filter.limit() + 1) + ") page"
                + " JOIN tasks t ON t.id = page.id ORDER BY t.priority_rank, t.id";
        return new Statement(sql, params);
    }

    /** {@code column = $n} for one value (so an index can also serve the order), {@code = ANY($n)} for several. */
    private static void anyOf(StringBuilder where, List<Object> params, String column, String[] values) {
        if (values.length == 1) {
            params.add(values[0]);
            where.append(" AND ").append(column).append(" = $").append(params.size());
        } else if (values.length > 1) {
            params.add(values);
            where.append(" AND ").append(column).append(" = ANY($").append(params.size()).append(')');
        }
    }

    static Task first(RowSet<Row> rows) {
        return rows.rowCount() == 0 ? null : toTask(rows.iterator().next());
    }

    static List<Task> all(RowSet<Row> rows) {
        List<Task> tasks = new ArrayList<>(rows.rowCount());
        rows.forEach(row -> tasks.add(toTask(row)));
        return tasks;
    }

    static Task toTask(Row row) {
        Long[] dependencies = dependencies(row);
        List<Long> dependsOn = Arrays.stream(dependencies).map(Math::abs).toList();
        return new Task(
                row.getLong("id"),
                row.getString("title"),
                row.getString("description"),
                TaskStatus.fromWire(row.getString("status")),
                Priority.fromWire(row.getString("priority")),
                row.getString("assignee"),
                row.getString("created_by"),
                Rows.strings(row, "labels"),
                dependsOn,
                Arrays.stream(dependencies).allMatch(id -> id > 0),
                row.getInteger("attempt"),
                row.getInteger("max_attempts"),
                row.getLong("retry_of"),
                row.getString("result"),
                row.getBoolean("needs_attention"),
                row.getString("attention_reason"),
                Rows.instant(row, "lease_expires_at"),
                row.getLong("lease_epoch"),
                row.getLong("version"),
                Rows.instant(row, "created_at"),
                Rows.instant(row, "updated_at"),
                Rows.instant(row, "started_at"),
                Rows.instant(row, "completed_at"),
                row.getInteger("comment_count"),
                row.getBoolean("review_required"),
                Rows.strings(row, "acceptance_criteria"),
                Evidences.fromJson(row.getString("evidence")),
                row.getString("reviewed_by"),
                row.getInteger("rejections"),
                row.getString("review_holder"),
                Rows.instant(row, "review_lease_expires_at"),
                row.getLong("parent_id"),
                children(Rows.longs(row, "children")),
                UsageTotals.fromArray(row, "usage"));
    }

    /** The {@code dependencies} column: ids in ascending order, negative while that dependency is not done. */
    private static Long[] dependencies(Row row) {
        Long[] values = row.getArrayOfLongs("dependencies");
        return values == null ? new Long[0] : values;
    }

    private static Task.Children children(List<Long> counts) {
        return new Task.Children(counts.get(0), counts.get(1), counts.get(2), counts.get(3), counts.get(4));
    }

    /** Priority rank as stored, for cursors. */
    static int rank(Task task) {
        return task.priority().ordinal();
    }
}
