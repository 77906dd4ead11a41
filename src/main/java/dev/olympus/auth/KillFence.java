package dev.olympus.auth;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Orders an agent's writes and that agent's kill. A write of the agent holds a shared advisory lock keyed by the
 * agent to its commit; a kill takes the same key exclusively before anything else. So a claim or PATCH whose
 * credential check passed just before a kill either commits first (and the kill, which waits for it, then releases
 * what it claimed) or waits for the kill and, reading the agent's state in a statement that starts after the lock
 * was granted, is refused: no task is left in progress under a killed agent.
 *
 * <p>An advisory lock rather than a lock on the agent's row: a row lock is a write to the agents table's one hot
 * page (and to the WAL) on every claim, and cost about a third of the claim throughput when measured.
 *
 * <p>Take it first in the transaction, before any task row: a kill takes it, then the agent's tasks.
 */
public final class KillFence {

    public static final long NAMESPACE = 0x4f4c594bL; // "OLYK"

    /** The fence a writer holds, shared: $1 namespace, $2 agent id (bench/pgbench/claim.sql runs it too). */
    public static final String SHARED = "SELECT pg_advisory_xact_lock_shared($1::bigint | ($2::bigint & 4294967295))";
    private static final String STATE = "SELECT state = 'killed' AS killed FROM agents WHERE id = $1";
    private static final String EXCLUSIVE = """
            SELECT pg_advisory_xact_lock($1::bigint | (id & 4294967295)) FROM agents WHERE name = $2""";

    private KillFence() {}

    /**
     * Holds the caller's fence to commit, without reading anything: for a statement sent right behind it that checks
     * the agent's state itself (it starts once the lock is granted, so it sees a kill that committed meanwhile).
     */
    public static Uni<Void> hold(SqlClient client, Caller caller) {
        return client.preparedQuery(SHARED).execute(Tuple.of(NAMESPACE << 32, caller.agentId())).replaceWithVoid();
    }

    /** Holds the caller's fence and fails with 403 {@code agent-killed} if the agent was killed meanwhile. */
    public static Uni<Void> holdAlive(SqlClient client, Caller caller) {
        Uni<Boolean> killed = client.preparedQuery(STATE).execute(Tuple.of(caller.agentId()))
                .map(rows -> rows.rowCount() == 0 || rows.iterator().next().getBoolean("killed"));
        return Uni.combine().all().unis(hold(client, caller), killed).with((held, isKilled) -> isKilled)
                .invoke(isKilled -> {
                    if (isKilled) {
                        throw Authenticator.killed(caller.name());
                    }
                }).replaceWithVoid();
    }

    /** The kill's side: waits for the agent's writes in flight and holds back new ones until the kill commits. */
    public static Uni<Void> closeFor(SqlClient client, String agent) {
        return client.preparedQuery(EXCLUSIVE).execute(Tuple.of(NAMESPACE << 32, agent)).replaceWithVoid();
    }
}
