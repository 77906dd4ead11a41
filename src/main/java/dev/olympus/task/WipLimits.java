package dev.olympus.task;

import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * An agent's {@code wipLimit} caps its in_progress tasks. Every path into in_progress for an agent with a
 * limit takes a transaction-scoped advisory lock keyed by the agent (held to commit), and counts in a statement
 * that runs after the lock was granted (a new snapshot, which sees every holding committed before): two claims or
 * moves of one agent can never both see "one slot left" (see also {@link ClaimService}). An advisory lock rather
 * than the agents row, so that this never waits for (or deadlocks with) writers of the agents row.
 */
@ApplicationScoped
public class WipLimits {

    /** High half of the advisory lock key (used shifted left by 32); the low half is the agent id. */
    static final long NAMESPACE = 0x4f4c5957L; // "OLYW"

    /**
     * Refuses with 409 {@code wip-limit} when {@code agent} already holds as many in_progress tasks as its limit
     * allows. Call on the path of a manual move into in_progress, in the move's transaction.
     */
    Uni<Void> check(SqlClient client, String agent) {
        if (agent == null) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("""
                        SELECT a.wip_limit,
                               CASE WHEN a.wip_limit IS NOT NULL
                                    THEN pg_advisory_xact_lock($2::bigint | (a.id & 4294967295)) END AS locked
                        FROM agents a WHERE a.name = $1
                        """)
                .execute(Tuple.of(agent, NAMESPACE << 32))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    Integer limit = rows.iterator().next().getInteger("wip_limit");
                    if (limit == null) {
                        return Uni.createFrom().voidItem();
                    }
                    // A new statement, so a new snapshot: it sees every holding committed before the lock.
                    return client.preparedQuery("SELECT count(*)::int AS n FROM tasks WHERE assignee = $1 AND status = 'in_progress'")
                            .execute(Tuple.of(agent))
                            .invoke(counted -> {
                                int n = counted.iterator().next().getInteger("n");
                                if (n >= limit) {
                                    throw ProblemException.conflict(ProblemCode.WIP_LIMIT, "WIP limit reached",
                                                    "Agent '" + agent + "' already has " + n + " task(s) in progress; its wipLimit is "
                                                            + limit + ".")
                                            .with("wipLimit", limit)
                                            .with("inProgress", n);
                                }
                            })
                            .replaceWithVoid();
                });
    }

}
