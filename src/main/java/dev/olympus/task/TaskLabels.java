package dev.olympus.task;

import dev.olympus.db.Transactions;
import dev.olympus.web.Cursors;
import dev.olympus.web.Page;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Every label in use, with how many tasks carry it (for suggestions: the dashboard's label filter and task form).
 * One pass over the tasks' label arrays; ordered by name, keyset-paginated by name.
 */
@ApplicationScoped
public class TaskLabels {

    /** A label and how many tasks carry it, and how many of those are open. */
    public record LabelCount(String name, int tasks, int openTasks) {}

    private final Transactions transactions;

    public TaskLabels(Transactions transactions) {
        this.transactions = transactions;
    }

    public Uni<Page<LabelCount>> list(String cursor, int limit) {
        String after = cursor == null ? "" : Cursors.decode(cursor, 1)[0];
        return transactions.pool().preparedQuery("""
                        SELECT label, count(*)::int AS tasks,
                               count(*) FILTER (WHERE status IN ('todo', 'in_progress', 'in_review', 'blocked'))::int AS open_tasks
                        FROM tasks, unnest(labels) AS label
                        WHERE label > $1
                        GROUP BY label ORDER BY label LIMIT $2
                        """)
                .execute(Tuple.of(after, limit + 1))
                .map(rows -> {
                    List<LabelCount> found = new ArrayList<>(rows.rowCount());
                    rows.forEach(row -> found.add(new LabelCount(row.getString("label"), row.getInteger("tasks"),
                            row.getInteger("open_tasks"))));
                    boolean more = found.size() > limit;
                    List<LabelCount> page = more ? found.subList(0, limit) : found;
                    return new Page<>(page, more ? Cursors.encode(page.getLast().name()) : null);
                });
    }
}
