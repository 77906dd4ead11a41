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
}
