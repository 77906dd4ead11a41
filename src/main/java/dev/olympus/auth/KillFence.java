package dev.olympus.auth;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Orders an agent's write and that agent's kill: the write holds a share lock on the agent's row to its commit,
 * and a kill takes the row for update (see {@code KillSwitch}). So a write whose credential check passed just
 * before a kill either commits first (and the kill then releases what it claimed) or waits for the kill and is
 * refused: no task is left in progress under a killed agent.
 *
 * <p>Take it first in the transaction, before any task row: a kill locks the agent, then its tasks.
 */
public final class KillFence {

    private static final String HOLD = "SELECT state = 'killed' AS killed FROM agents WHERE id = $1 FOR SHARE";

    private KillFence() {}

    /** Fails with 403 {@code agent-killed} if the caller's agent was killed meanwhile. */
    public static Uni<Void> hold(SqlClient client, Caller caller) {
        return client.preparedQuery(HOLD).execute(Tuple.of(caller.agentId())).invoke(rows -> {
            if (rows.rowCount() == 0 || rows.iterator().next().getBoolean("killed")) {
                throw Authenticator.killed(caller.name());
            }
        }).replaceWithVoid();
    }
}
