package dev.olympus.agent;

import dev.olympus.auth.Role;
import dev.olympus.db.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** SQL for agents and their API keys. */
@ApplicationScoped
public class AgentRepository {

    static final String COLUMNS = """
            a.id, a.name, a.role, a.description, a.heartbeat_interval_seconds, a.capabilities, a.wip_limit,
            a.state, a.state_reason, a.created_at,
            (SELECT h.last_at FROM agent_heartbeats h WHERE h.agent_id = a.id) AS last_heartbeat_at,
            CASE WHEN a.state <> 'killed' THEN
                coalesce((SELECT h.last_at FROM agent_heartbeats h WHERE h.agent_id = a.id), a.created_at)
                + make_interval(secs => a.heartbeat_interval_seconds) END AS next_heartbeat_due_at,
            (SELECT count(*) FROM tasks t WHERE t.assignee = a.name
                AND t.status IN ('todo', 'in_progress', 'in_review', 'blocked'))::int AS open_tasks,
            (SELECT count(*) FROM tasks t WHERE t.assignee = a.name AND t.status = 'in_progress')::int AS in_progress_tasks
            """;

    public Uni<Agent> findByName(SqlClient client, String name) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM agents a WHERE a.name = $1")
                .execute(Tuple.of(name))
                .map(rows -> rows.rowCount() == 0 ? null : toAgent(rows.iterator().next()));
    }

    public Uni<List<Agent>> list(SqlClient client, String afterName, int limit) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM agents a WHERE a.name > $1 ORDER BY a.name LIMIT $2")
                .execute(Tuple.of(afterName == null ? "" : afterName, limit))
                .map(AgentRepository::toAgents);
    }

    /** @return the new agent's id, or null when the name is taken. */
    public Uni<Long> insert(SqlClient client, CreateAgentRequest request, String createdBy) {
        return client.preparedQuery("""
                        INSERT INTO agents (name, role, description, heartbeat_interval_seconds, capabilities, wip_limit, created_by)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)
                        ON CONFLICT (name) DO NOTHING
                        RETURNING id
                        """)
                .execute(Tuple.from(Arrays.asList(
                        request.name(),
                        request.role().wire(),
                        request.description(),
                        request.heartbeatIntervalSeconds() == null ? 3600 : request.heartbeatIntervalSeconds(),
                        request.capabilities() == null ? new String[0] : request.capabilities().toArray(String[]::new),
                        request.wipLimit(),
                        createdBy)))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getLong(0));
    }

    public Uni<Void> insertKey(SqlClient client, String keyId, long agentId, byte[] keyHash) {
        return client.preparedQuery("INSERT INTO api_keys (id, agent_id, key_hash) VALUES ($1, $2, $3)")
                .execute(Tuple.of(keyId, agentId, Buffer.buffer(keyHash)))
                .replaceWithVoid();
    }

    static List<Agent> toAgents(RowSet<Row> rows) {
        List<Agent> agents = new ArrayList<>(rows.rowCount());
        for (Row row : rows) {
            agents.add(toAgent(row));
        }
        return agents;
    }

    static Agent toAgent(Row row) {
        return new Agent(
                row.getString("name"),
                Role.fromWire(row.getString("role")),
                row.getString("description"),
                row.getInteger("heartbeat_interval_seconds"),
                Rows.strings(row, "capabilities"),
                row.getInteger("wip_limit"),
                row.getString("state"),
                row.getString("state_reason"),
                Rows.instant(row, "last_heartbeat_at"),
                Rows.instant(row, "next_heartbeat_due_at"),
                row.getInteger("open_tasks"),
                row.getInteger("in_progress_tasks"),
                Rows.instant(row, "created_at"));
    }
}
