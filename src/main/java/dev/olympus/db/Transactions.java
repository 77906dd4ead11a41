package dev.olympus.db;

import dev.olympus.event.EventLog;
import dev.olympus.event.EventSequencer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Function;

/**
 * Runs a change in one transaction and writes its events in that same transaction:
 * either the change and all its events commit, or neither does.
 *
 * <p>Round trips. A change is usually one or two statements, so BEGIN and COMMIT would double its round trips.
 * Both are pipelined instead (the PostgreSQL client sends queued commands on a connection without waiting for the
 * previous answer): BEGIN travels with the change's first statement, COMMIT with the event append. A claim is
 * then two round trips instead of four. No lock is held through the commit: concurrent changes commit together.
 *
 * <p>Why this is safe. Commands on one connection run in order. BEGIN cannot fail on a healthy pooled connection
 * (and if the connection is broken, so is every statement behind it). A COMMIT sent behind a statement that
 * failed finds the transaction aborted and rolls it back; the statement's failure is what the caller sees. The
 * last statement before COMMIT always runs inside the transaction and fails if the transaction was aborted, so an
 * error swallowed earlier by the change can never turn into a silent rollback reported as success.
 *
 * <p>After the commit, {@link EventSequencer} gives the events their stream positions (and then wakes the event
 * dispatchers of every instance); the change completes once its events are in the stream, so the writer reads its
 * own events in polling and history right after its answer.
 */
@ApplicationScoped
public class Transactions {

    /** The last statement when a change has no events: fails (25P02) if the transaction is already aborted. */
    private static final String STILL_VALID = "SELECT 1";

    private final Pool pool;
    private final EventLog eventLog;
    private final EventSequencer sequencer;

    public Transactions(Pool pool, EventLog eventLog, EventSequencer sequencer) {
        this.pool = pool;
        this.eventLog = eventLog;
        this.sequencer = sequencer;
    }

    public <T> Uni<T> inTransaction(Function<Tx, Uni<T>> work) {
        boolean[] appended = {false};
        return pool.withConnection(conn -> {
            Tx tx = new Tx(conn);
            boolean[] ended = {false};
            Uni<T> change = Uni.combine().all()
                    .unis(conn.query("BEGIN").execute(), Uni.createFrom().deferred(() -> work.apply(tx)))
                    .with((begun, result) -> result);
            return change
                    .call(result -> {
                        ended[0] = true;
                        if (tx.events().isEmpty()) {
                            return Uni.combine().all().unis(conn.query(STILL_VALID).execute(), commit(conn)).discardItems();
                        }
                        return Uni.combine().all().unis(eventLog.append(conn, tx.events()), commit(conn))
                                .with((count, committed) -> appended[0] = true);
                    })
                    .onFailure().call(failure -> ended[0] ? Uni.createFrom().voidItem() : rollback(conn));
        })
                // Waits with its connection back in the pool: waiting writers must never hold what others need.
                .call(result -> appended[0] ? sequencer.committed() : Uni.createFrom().voidItem());
    }

    private static Uni<Void> commit(SqlConnection conn) {
        return conn.query("COMMIT").execute().replaceWithVoid();
    }

    private static Uni<Void> rollback(SqlConnection conn) {
        return conn.query("ROLLBACK").execute().replaceWithVoid().onFailure().recoverWithNull();
    }

    /** Reads without a transaction of their own. */
    public Pool pool() {
        return pool;
    }
}
