package dev.olympus.event;

import dev.olympus.metrics.OlympusMetrics;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Appends events in the transaction of the change they describe.
 *
 * <p>Why the advisory lock: ids come from a sequence, and two transactions can commit in the opposite
 * order of the ids they took. A reader that saw id 11 before id 10 committed would skip 10 for ever.
 * Taking a transaction-scoped lock right before the insert and holding it to commit makes id order equal
 * commit order, so every reader's "all events with id &gt; cursor" is gap-free. The insert must therefore be
 * the last statement of the transaction ({@link dev.olympus.db.Tx} guarantees that).
 *
 * <p>Each event also gets its {@code audience}: the agent it is about, the task's assignee at that moment (from the
 * task snapshot in {@code data.task}, else from the task row, which this transaction already changed) and, for
 * {@code task.assigned}, the previous assignee. Workers see exactly the events whose audience names them
 * ({@link EventFilter}).
 */
@ApplicationScoped
public class EventLog {

    /** Key of the transaction-scoped advisory lock that serialises event id assignment with commit. */
    public static final long APPEND_LOCK = 0x4f4c_5950_4556L; // "OLYPEV"

    public static final String CHANNEL = "olympus_events";

    private static final String APPEND = """
            WITH serialised AS (SELECT pg_advisory_xact_lock($1)),
                 inserted AS (
                     INSERT INTO events (type, actor, task_id, agent, data, audience)
                     SELECT e.type, e.actor, e.task_id, e.agent, e.data,
                            array_remove(ARRAY[
                                e.agent,
                                CASE WHEN e.data ? 'task' THEN e.data -> 'task' ->> 'assignee'
                                     ELSE (SELECT t.assignee FROM tasks t WHERE t.id = e.task_id) END,
                                CASE WHEN e.type = 'task.assigned' THEN e.data ->> 'from' END], NULL)
                     FROM serialised, jsonb_to_recordset($2::jsonb)
                          AS e(type text, actor text, task_id bigint, agent text, data jsonb, ord int)
                     ORDER BY e.ord
                     RETURNING id)
            SELECT max(id) AS last FROM inserted
            """;

    /** Counts appended events (a field, so that this hook stays a two-line addition). */
    @Inject
    OlympusMetrics metrics;

    public Uni<Long> append(SqlConnection conn, List<NewEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        JsonArray rows = new JsonArray();
        int ord = 0;
        for (NewEvent e : events) {
            rows.add(new JsonObject()
                    .put("type", e.type())
                    .put("actor", e.actor())
                    .put("task_id", e.taskId())
                    .put("agent", e.agent())
                    .put("data", e.data() == null ? new JsonObject() : e.data())
                    .put("ord", ord++));
        }
        // Listeners are woken after the commit, by EventSignal (a NOTIFY here would serialise every commit again).
        return conn.preparedQuery(APPEND).execute(Tuple.of(APPEND_LOCK, rows))
                .map(result -> result.iterator().next().getLong("last"))
                .invoke(last -> metrics.eventsWritten(events));
    }
}
