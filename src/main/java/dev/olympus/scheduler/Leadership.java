package dev.olympus.scheduler;

import dev.olympus.db.DedicatedConnections;
import dev.olympus.metrics.OlympusMetrics;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.pgclient.PgConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Leader election for the scheduler: the leader is the instance whose dedicated connection holds the session
 * advisory lock {@link #LOCK}. PostgreSQL releases a session lock with its session, so a crashed leader (or one
 * cut off from the database) loses it as soon as the server notices the connection gone, and another instance
 * takes it on its next tick. A lost connection is re-opened on the next tick, which then tries to lock again.
 */
@ApplicationScoped
public class Leadership {

    /** Key of the session advisory lock held by the scheduler leader. */
    public static final long LOCK = 0x4f4c_5953_4348L; // "OLYSCH"

    private final OlympusMetrics metrics;
    private final DedicatedConnections connections;
    private volatile PgConnection connection;
    private volatile boolean leader;
    private volatile boolean stopped;

    public Leadership(OlympusMetrics metrics, DedicatedConnections connections) {
        this.metrics = metrics;
        this.connections = connections;
    }

    /** True while this instance holds the lock (as far as it knows: {@link #acquire} checks). */
    public boolean isLeader() {
        return leader;
    }

    /**
     * Makes sure this instance's claim on leadership is current: (re)connects if needed, tries the lock when not
     * leader, and checks that the session is alive when leader.
     *
     * @return whether this instance is the leader now
     */
    public Uni<Boolean> acquire() {
        if (stopped) {
            return Uni.createFrom().item(false);
        }
        return Uni.createFrom().completionStage(() -> ensureConnected()
                        .compose(conn -> leader
                                ? conn.query("SELECT true AS held").execute()
                                : conn.preparedQuery("SELECT pg_try_advisory_lock($1) AS held")
                                        .execute(io.vertx.sqlclient.Tuple.of(LOCK)))
                        .map(rows -> rows.iterator().next().getBoolean("held"))
                        .toCompletionStage())
                .onItem().invoke(held -> {
                    if (held && !leader) {
                        Log.infof("This instance is now the scheduler leader");
                    }
                    setLeader(held);
                })
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("Scheduler leadership check failed (%s); will retry on the next tick", e.getMessage());
                    drop();
                    return false;
                });
    }

    private Future<PgConnection> ensureConnected() {
        PgConnection current = connection;
        if (current != null) {
            return Future.succeededFuture(current);
        }
        return connections.connect().onSuccess(conn -> {
            connection = conn;
            conn.closeHandler(v -> {
                if (connection == conn) {
                    if (leader) {
                        Log.warn("Scheduler leader connection lost; leadership released");
                    }
                    connection = null;
                    setLeader(false);
                }
            });
        });
    }

    private void drop() {
        PgConnection current = connection;
        connection = null;
        setLeader(false);
        if (current != null) {
            current.close();
        }
    }

    private void setLeader(boolean leader) {
        this.leader = leader;
        metrics.schedulerLeader(leader);
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        drop();
    }
}
