package dev.olympus.db;

import dev.olympus.event.EventLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Function;

/**
 * Runs a change in one transaction and writes its events in that same transaction:
 * either the change and all its events commit, or neither does.
 */
@ApplicationScoped
public class Transactions {

    private final Pool pool;
    private final EventLog eventLog;

    public Transactions(Pool pool, EventLog eventLog) {
        this.pool = pool;
        this.eventLog = eventLog;
    }

    public <T> Uni<T> inTransaction(Function<Tx, Uni<T>> work) {
        return pool.withTransaction(conn -> {
            Tx tx = new Tx(conn);
            return work.apply(tx).call(result -> eventLog.append(conn, tx.events()));
        });
    }

    /** Reads without a transaction of their own. */
    public Pool pool() {
        return pool;
    }
}
