package dev.olympus.agent;

import dev.olympus.db.Rows;
import dev.olympus.db.Transactions;
import dev.olympus.event.EventType;
import dev.olympus.event.NewEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The scheduler's work on agents: an active agent silent past its {@code nextHeartbeatDueAt} +
 * {@code olympus.heartbeat.grace} becomes unresponsive, with one {@code agent.heartbeat_missed} event per miss
 * (its next heartbeat makes it active again, see {@link HeartbeatService}).
 */
@ApplicationScoped
public class AgentLiveness {

    private static final int BATCH = 500;

    private final Transactions transactions;
    private final HeartbeatConfig config;

    public AgentLiveness(Transactions transactions, HeartbeatConfig config) {
        this.transactions = transactions;
        this.config = config;
    }

    /**
     * Marks overdue agents unresponsive. Agents that never heartbeated first get a heartbeat row (last_at NULL) so
     * that the verdict can lock it: a heartbeat racing with the verdict then either waits for it and undoes it, or
     * commits first and the locked re-check sees it.
     *
     * @return how many agents were marked
     */
    public Uni<Integer> markMissed() {
        return transactions.pool().query("""
                        INSERT INTO agent_heartbeats (agent_id, last_at)
                        SELECT a.id, NULL FROM agents a
                        WHERE NOT EXISTS (SELECT 1 FROM agent_heartbeats h WHERE h.agent_id = a.id)
                        ON CONFLICT (agent_id) DO NOTHING
                        """)
                .execute()
                .chain(() -> transactions.inTransaction(tx -> tx.conn().preparedQuery("""
                                WITH overdue AS (
                                    SELECT a.id, h.last_at,
                                           coalesce(h.last_at, a.created_at) + make_interval(secs => a.heartbeat_interval_seconds) AS due
                                    FROM agents a JOIN agent_heartbeats h ON h.agent_id = a.id
                                    WHERE a.state = 'active'
                                      AND coalesce(h.last_at, a.created_at) + make_interval(secs => a.heartbeat_interval_seconds)
                                          + make_interval(secs => $2) < now()
                                    ORDER BY a.id LIMIT $1
                                    FOR NO KEY UPDATE OF a, h SKIP LOCKED)
                                UPDATE agents a
                                SET state = 'unresponsive',
                                    state_reason = 'No heartbeat since ' || coalesce(to_char(overdue.last_at AT TIME ZONE 'UTC',
                                                   'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'creation') || '.'
                                FROM overdue
                                WHERE a.id = overdue.id
                                RETURNING a.name, overdue.last_at, overdue.due
                                """)
                        .execute(Tuple.of(BATCH, config.grace().toMillis() / 1000.0))
                        .invoke(rows -> rows.forEach(row -> tx.emit(NewEvent.agent(EventType.AGENT_HEARTBEAT_MISSED, "system",
                                row.getString("name"), new JsonObject()
                                        .put("lastHeartbeatAt", instant(row, "last_at"))
                                        .put("nextHeartbeatDueAt", instant(row, "due"))
                                        .put("graceSeconds", config.grace().toSeconds())))))
                        .map(rows -> rows.rowCount())));
    }

    private static String instant(io.vertx.mutiny.sqlclient.Row row, String column) {
        var value = Rows.instant(row, column);
        return value == null ? null : value.toString();
    }
}
