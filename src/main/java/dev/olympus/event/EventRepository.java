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

/**
 * Reads the event log: positioned events only, by position. An event's position is its {@code id} on the wire (the
 * stream's cursor); events committed but not yet positioned ({@link EventSequencer}) are invisible here, so what a
 * reader sees is always a gap-free prefix of the stream. Every method takes and answers positions.
 */
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
     * @param head          the newest position visible in that snapshot (every lower position is visible too)
     * @param prunedThrough the highest position retention has deleted: a cursor below it may have missed events
     */
    public record Slice(long head, long prunedThrough, List<Stored> events) {}

    // Limits are written into the statements, not bound: a LIMIT parameter makes PostgreSQL plan every execution
    // afresh (see TaskRepository.listStatement). They are validated integers, so few distinct statements come of it.

    /** The event as the wire shows it: its position is its id. */
    private static final String COLUMNS = "position AS id, type, at, actor, task_id, agent, data, audience";

    /** A task's events after position {@code after}, oldest first (its history). */
    public Uni<List<Event>> forTask(SqlClient client, long taskId, long after, int limit) {
        return client.preparedQuery("""
                        SELECT position AS id, type, at, actor, task_id, agent, data FROM events
                        WHERE task_id = $1 AND position > $2 ORDER BY position LIMIT %d
                        """.formatted(limit))
                .execute(Tuple.of(taskId, after))
                .map(rows -> {
                    List<Event> events = new ArrayList<>(rows.rowCount());
                    rows.forEach(row -> events.add(toEvent(row)));
                    return events;
                });
    }

    /**
     * Every event after the cursor {@code after} (a position), oldest first, unfiltered, at most {@code limit}: the
     * dispatcher's read, and the one for any other reader that keeps a cursor (webhooks). Gap-free: whatever is not
     * returned yet has a higher position than everything returned, once it appears.
     */
    public Uni<List<Stored>> after(SqlClient client, long after, int limit) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM events WHERE position > $1 ORDER BY position LIMIT " + limit)
                .execute(Tuple.of(after))
                .map(rows -> {
                    List<Stored> events = new ArrayList<>(rows.rowCount());
                    rows.forEach(row -> events.add(toStored(row)));
                    return events;
                });
    }

    /** The newest position handed out (0 when there never was an event; never lower after retention). */
    public Uni<Long> head(SqlClient client) {
        return client.preparedQuery("SELECT last_position AS head FROM events_sequence")
                .execute()
                .map(rows -> rows.iterator().next().getLong("head"));
    }

    /** Events at positions in ({@code after}, {@code upTo}] that pass {@code filter}, oldest first, at most {@code limit}. */
    public Uni<Slice> slice(SqlClient client, EventFilter filter, long after, long upTo, int limit) {
        List<Object> params = new ArrayList<>(List.of(after, upTo));
        StringBuilder where = new StringBuilder("position > $1 AND position <= $2");
        filter.where(where, params);
        String sql = """
                WITH mark AS (SELECT (SELECT through_position FROM events_pruned) AS pruned,
                                     (SELECT last_position FROM events_sequence) AS newest)
                SELECT m.newest AS head, m.pruned, e.*
                FROM mark m LEFT JOIN LATERAL (
                    SELECT %s FROM events WHERE %s ORDER BY position LIMIT %d) e ON true
                ORDER BY e.id
                """.formatted(COLUMNS, where, limit);
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
