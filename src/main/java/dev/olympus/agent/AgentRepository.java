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

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.olympus.usage.UsageColumns;
import dev.olympus.usage.UsageTotals;

/** SQL for agents and their API keys. */
@ApplicationScoped
public class AgentRepository {

    private static final long OPERATORS_LOCK = 0x4f4c_594f_5052L; // "OLYOPR"

    static final String COLUMNS = """
            a.id, a.name, a.role, a.description, a.heartbeat_interval_seconds, a.capabilities, a.wip_limit,
            a.state, a.state_reason, a.created_at, a.revived_at, a.revived_by, a.revive_reason,
            (SELECT h.note FROM agent_heartbeats h WHERE h.agent_id = a.id) AS last_heartbeat_note,
            (SELECT h.last_at FROM agent_heartbeats h WHERE h.agent_id = a.id) AS last_heartbeat_at,
            CASE WHEN a.state <> 'killed' THEN
                coalesce((SELECT h.last_at FROM agent_heartbeats h WHERE h.agent_id = a.id), a.created_at)
                + make_interval(secs => a.heartbeat_interval_seconds) END AS next_heartbeat_due_at,
            (SELECT count(*) FROM tasks t WHERE t.assignee = a.name
                AND t.status IN ('todo', 'in_progress', 'in_review', 'blocked'))::int AS open_tasks,
            (SELECT count(*) FROM tasks t WHERE t.assignee = a.name AND t.status = 'in_progress')::int AS in_progress_tasks,
            """ + UsageColumns.AGENT + """
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

    /** The columns of an agent that access decisions need. */
    public record Ref(long id, String name, Role role, String state, int generation) {
        boolean killed() {
            return "killed".equals(state);
        }
    }

    /**
     * Locks the agent's row for the rest of the transaction (kill, revive, key changes of one agent queue up here).
     * {@code FOR NO KEY UPDATE}: a concurrent task write referencing the agent by name only takes a key-share lock,
     * which this lock does not block, so the two cannot deadlock.
     */
    public Uni<Ref> lock(SqlClient client, String name) {
        return ref(client, name, " FOR NO KEY UPDATE");
    }

    public Uni<Ref> ref(SqlClient client, String name) {
        return ref(client, name, "");
    }

    private Uni<Ref> ref(SqlClient client, String name, String lock) {
        return client.preparedQuery("SELECT id, name, role, state, credential_generation FROM agents WHERE name = $1" + lock)
                .execute(Tuple.of(name))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Ref(row.getLong("id"), row.getString("name"), Role.fromWire(row.getString("role")),
                            row.getString("state"), row.getInteger("credential_generation"));
                });
    }

    /** @return the agent's new credential generation: every access token issued before is void from now on. */
    public Uni<Integer> markKilled(SqlClient client, long id, String reason, String by) {
        return client.preparedQuery("""
                        UPDATE agents SET state = 'killed', state_reason = $2, killed_at = now(), killed_by = $3,
                                          credential_generation = credential_generation + 1
                        WHERE id = $1 RETURNING credential_generation
                        """)
                .execute(Tuple.of(id, reason, by))
                .map(rows -> rows.iterator().next().getInteger(0));
    }

    public Uni<Void> markRevived(SqlClient client, long id, String reason, String by) {
        return client.preparedQuery("""
                        UPDATE agents SET state = 'active', state_reason = NULL, revived_at = now(), revived_by = $3,
                                          revive_reason = $2
                        WHERE id = $1
                        """)
                .execute(Tuple.of(id, reason, by))
                .replaceWithVoid();
    }

    /**
     * Pauses a live agent (active or unresponsive); a killed or already paused one is left as it is.
     *
     * @return whether the agent was paused now
     */
    public Uni<Boolean> markPaused(SqlClient client, String name, String reason) {
        return client.preparedQuery("""
                        UPDATE agents SET state = 'paused', state_reason = $2
                        WHERE name = $1 AND state IN ('active', 'unresponsive')
                        """)
                .execute(Tuple.of(name, reason))
                .map(rows -> rows.rowCount() > 0);
    }

    /** @return whether the agent was paused and is active now */
    public Uni<Boolean> markResumed(SqlClient client, String name) {
        return client.preparedQuery("UPDATE agents SET state = 'active', state_reason = NULL WHERE name = $1 AND state = 'paused'")
                .execute(Tuple.of(name))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Serialises changes that could leave no operator able to act (kills and key revocations of operators). */
    public Uni<Void> lockOperators(SqlClient client) {
        return client.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(OPERATORS_LOCK)).replaceWithVoid();
    }

    /** Is there still an operator that is not killed and holds an unrevoked key? */
    public Uni<Boolean> usableOperatorExists(SqlClient client) {
        return client.query("""
                        SELECT EXISTS (SELECT 1 FROM agents a WHERE a.role = 'operator' AND a.state <> 'killed'
                                       AND EXISTS (SELECT 1 FROM api_keys k WHERE k.agent_id = a.id AND k.revoked_at IS NULL))
                        """)
                .execute()
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** An agent's keys, oldest first, after the keyset position {@code after} (null: from the start). */
    public Uni<List<ApiKeyInfo>> keys(SqlClient client, long agentId, Instant afterCreated, String afterId, int limit) {
        return client.preparedQuery("""
                        SELECT id, created_at, revoked_at FROM api_keys
                        WHERE agent_id = $1 AND (created_at, id) > ($2, $3)
                        ORDER BY created_at, id LIMIT $4
                        """)
                .execute(Tuple.of(agentId, (afterCreated == null ? Instant.EPOCH : afterCreated).atOffset(ZoneOffset.UTC),
                        afterId == null ? "" : afterId, limit))
                .map(rows -> {
                    List<ApiKeyInfo> keys = new ArrayList<>(rows.rowCount());
                    rows.forEach(row -> keys.add(new ApiKeyInfo(row.getString("id"), Rows.instant(row, "created_at"),
                            Rows.instant(row, "revoked_at"))));
                    return keys;
                });
    }

    /** @return whether this call revoked the key (false: it was revoked already), or null when the agent has no such key. */
    public Uni<Boolean> revokeKey(SqlClient client, long agentId, String keyId, String by) {
        return client.preparedQuery("SELECT revoked_at IS NOT NULL AS revoked FROM api_keys WHERE id = $1 AND agent_id = $2 FOR UPDATE")
                .execute(Tuple.of(keyId, agentId))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    if (rows.iterator().next().getBoolean("revoked")) {
                        return Uni.createFrom().item(false);
                    }
                    return client.preparedQuery("UPDATE api_keys SET revoked_at = now(), revoked_by = $2 WHERE id = $1")
                            .execute(Tuple.of(keyId, by)).replaceWith(true);
                });
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
                Rows.instant(row, "created_at"),
                row.getString("last_heartbeat_note"),
                Rows.instant(row, "revived_at"),
                row.getString("revived_by"),
                row.getString("revive_reason"),
                UsageTotals.from(row, "usage_"),
                UsageColumns.periodUsage(row),
                UsageColumns.budget(row, row.getString("name")));
    }
}
