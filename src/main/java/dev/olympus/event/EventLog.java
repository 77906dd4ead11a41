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
 * <p>No lock and no position here: concurrent transactions insert their events and commit together (group commit).
 * The events get their stream position after the commit, from {@link EventSequencer}; until then no reader sees
 * them. That is what keeps the stream gap-free although transactions commit in any order
 * (docs/design-event-ordering.md).
 *
 * <p>Each event also gets its {@code audience}: the agent it is about, the task's assignee at that moment (from the
 * task snapshot in {@code data.task}, else from the task row, which this transaction already changed) and, for
 * {@code task.assigned}, the previous assignee. Workers see exactly the events whose audience names them
 * ({@link EventFilter}).
 */
@ApplicationScoped
public class EventLog {

    public static final String CHANNEL = "olympus_events";

    /** (bench/pgbench/claim.sql runs it too; BenchStatementsTest keeps it in step.) */
    public static final String APPEND = """
            INSERT INTO events (type, actor, task_id, agent, data, audience)
            SELECT e.type, e.actor, e.task_id, e.agent, e.data,
                   array_remove(ARRAY[
                       e.agent,
                       CASE WHEN e.data ? 'task' THEN e.data -> 'task' ->> 'assignee'
                            ELSE (SELECT t.assignee FROM tasks t WHERE t.id = e.task_id) END,
                       CASE WHEN e.type = 'task.assigned' THEN e.data ->> 'from' END], NULL)
            FROM jsonb_to_recordset($1::jsonb)
                 AS e(type text, actor text, task_id bigint, agent text, data jsonb, ord int)
            ORDER BY e.ord
            """;

    /** Counts appended events (a field, so that this hook stays a two-line addition). */
    @Inject
    OlympusMetrics metrics;

    /** Inserts {@code events} (in this order of ids) on {@code conn}'s transaction; answers how many. */
    public Uni<Integer> append(SqlConnection conn, List<NewEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
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
        // Positions are assigned, and listeners woken, after the commit (EventSequencer, EventSignal).
        return conn.preparedQuery(APPEND).execute(Tuple.of(rows))
                .map(result -> result.rowCount())
                .invoke(count -> metrics.eventsWritten(events));
    }
}
