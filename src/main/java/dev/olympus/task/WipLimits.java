package dev.olympus.task;

import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * An agent's {@code wipLimit} caps its in_progress tasks. Every path into in_progress for an agent with a
 * limit first takes a transaction-scoped advisory lock keyed by the agent, then counts in a LATER statement
 * (whose snapshot sees every holding committed before the lock was granted): two claims or moves of one agent
 * can never both see "one slot left". An advisory lock rather than the agents row, so that this never waits
 * for (or deadlocks with) writers of the agents row.
 */
@ApplicationScoped
public class WipLimits {

    /** High half of the advisory lock key; the low half is the agent id. */
    private static final long NAMESPACE = 0x4f4c5957L; // "OLYW"

    /** The agent's claim profile, read under its WIP lock (taken only when it has a limit). */
    record Holder(long id, String name, String[] capabilities, Integer wipLimit) {}

    static long key(long agentId) {
        return (NAMESPACE << 32) | (agentId & 0xffff_ffffL);
    }

    /** Reads the agent by id and, when it has a WIP limit, takes its WIP lock. */
    Uni<Holder> lockById(SqlClient client, long agentId) {
        return client.preparedQuery("""
                        SELECT a.id, a.name, a.capabilities, a.wip_limit,
                               CASE WHEN a.wip_limit IS NOT NULL THEN pg_advisory_xact_lock($2) END AS locked
                        FROM agents a WHERE a.id = $1
                        """)
                .execute(Tuple.of(agentId, key(agentId)))
                .map(rows -> rows.rowCount() == 0 ? null : holder(rows.iterator().next()));
    }

    /**
     * Refuses with 409 {@code wip-limit} when {@code agent} already holds as many in_progress tasks as its limit
     * allows. Call on the path of a manual move into in_progress, in the move's transaction.
     */
    Uni<Void> check(SqlClient client, String agent) {
        if (agent == null) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("""
                        SELECT a.id, a.name, a.capabilities, a.wip_limit,
                               CASE WHEN a.wip_limit IS NOT NULL
                                    THEN pg_advisory_xact_lock($2::bigint | (a.id & 4294967295)) END AS locked
                        FROM agents a WHERE a.name = $1
                        """)
                .execute(Tuple.of(agent, NAMESPACE << 32))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    Holder holder = holder(rows.iterator().next());
                    if (holder.wipLimit() == null) {
                        return Uni.createFrom().voidItem();
                    }
                    // A new statement, so a new snapshot: it sees every holding committed before the lock.
                    return client.preparedQuery("SELECT count(*)::int AS n FROM tasks WHERE assignee = $1 AND status = 'in_progress'")
                            .execute(Tuple.of(agent))
                            .invoke(counted -> {
                                int n = counted.iterator().next().getInteger("n");
                                if (n >= holder.wipLimit()) {
                                    throw ProblemException.conflict("wip-limit", "WIP limit reached",
                                                    "Agent '" + agent + "' already has " + n + " task(s) in progress; its wipLimit is "
                                                            + holder.wipLimit() + ".")
                                            .with("wipLimit", holder.wipLimit())
                                            .with("inProgress", n);
                                }
                            })
                            .replaceWithVoid();
                });
    }

    private static Holder holder(Row row) {
        String[] capabilities = row.getArrayOfStrings("capabilities");
        return new Holder(row.getLong("id"), row.getString("name"), capabilities == null ? new String[0] : capabilities,
                row.getInteger("wip_limit"));
    }
}
