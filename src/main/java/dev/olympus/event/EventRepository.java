package dev.olympus.event;

import dev.olympus.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** Reads the event log. */
@ApplicationScoped
public class EventRepository {

    /** An event as the stream needs it: the event and the agents it concerns (for filtering). */
    public record Stored(Event event, List<String> audience) {
        public long id() {
            return event.id();
        }
    }

    /**
     * One filtered page of the log with the log's state, all read in one statement (one snapshot).
     *
     * @param head          the newest event id visible in that snapshot (every lower id is visible too)
     * @param prunedThrough the highest id retention has deleted: a cursor below it may have missed events
     */
    public record Slice(long head, long prunedThrough, List<Stored> events) {}

    private static final String COLUMNS = "id, type, at, actor, task_id, agent, data, audience";

    public Uni<List<Event>> forTask(SqlClient client, long taskId, long afterId, int limit) {
        return client.preparedQuery("""
                        SELECT id, type, at, actor, task_id, agent, data FROM events
                        WHERE task_id = $1 AND id > $2 ORDER BY id LIMIT $3
                        """)
                .execute(Tuple.of(taskId, afterId, limit))
                .map(rows -> {
                    List<Event> events = new ArrayList<>(rows.rowCount());
                    rows.forEach(row -> events.add(toEvent(row)));
                    return events;
                });
    }

    /** Every event after {@code afterId}, oldest first, unfiltered: the dispatcher's read. */
    public Uni<List<Stored>> after(SqlClient client, long afterId, int limit) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM events WHERE id > $1 ORDER BY id LIMIT $2")
                .execute(Tuple.of(afterId, limit))
                .map(rows -> {
                    List<Stored> events = new ArrayList<>(rows.rowCount());
                    rows.forEach(row -> events.add(toStored(row)));
                    return events;
                });
    }

    /** The newest visible event id (the pruning mark when retention emptied the log; 0 when there never was one). */
    public Uni<Long> head(SqlClient client) {
        return client.query("""
                        SELECT greatest(coalesce((SELECT max(id) FROM events), 0),
                                        coalesce((SELECT through_id FROM events_pruned), 0)) AS head
                        """)
                .execute()
                .map(rows -> rows.iterator().next().getLong("head"));
    }

    /** Events in ({@code afterId}, {@code upToId}] that pass {@code filter}, oldest first, at most {@code limit}. */
    public Uni<Slice> slice(SqlClient client, EventFilter filter, long afterId, long upToId, int limit) {
        List<Object> params = new ArrayList<>(List.of(afterId, upToId, limit));
        StringBuilder where = new StringBuilder("id > $1 AND id <= $2");
        filter.where(where, params);
        String sql = """
                WITH mark AS (SELECT coalesce((SELECT through_id FROM events_pruned), 0) AS pruned,
                                     coalesce((SELECT max(id) FROM events), 0) AS newest)
                SELECT greatest(m.newest, m.pruned) AS head, m.pruned, e.*
                FROM mark m LEFT JOIN LATERAL (
                    SELECT %s FROM events WHERE %s ORDER BY id LIMIT $3) e ON true
                ORDER BY e.id
                """.formatted(COLUMNS, where);
        return client.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
            long head = 0;
            long pruned = 0;
            List<Stored> events = new ArrayList<>(rows.rowCount());
            for (Row row : rows) {
                head = row.getLong("head");
                pruned = row.getLong("pruned");
                if (row.getLong("id") != null) {
                    events.add(toStored(row));
                }
            }
            return new Slice(head, pruned, events);
        });
    }

    public static Event toEvent(Row row) {
        Object data = row.getValue("data");
        return new Event(
                row.getLong("id"),
                row.getString("type"),
                Rows.instant(row, "at"),
                row.getString("actor"),
                row.getLong("task_id"),
                row.getString("agent"),
                data instanceof JsonObject json ? json.getMap() : java.util.Map.of());
    }

    private static Stored toStored(Row row) {
        return new Stored(toEvent(row), Rows.strings(row, "audience"));
    }
}
