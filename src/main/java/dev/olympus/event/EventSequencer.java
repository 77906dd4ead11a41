package dev.olympus.event;

import dev.olympus.db.DedicatedConnections;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.Future;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Gives committed events their stream positions, after the commit, in batches: the post-commit sequencer.
 *
 * <p>Writers commit their events without a position and without any lock they hold through commit. Then this runs
 * {@code events_assign_positions} (migration V8), which takes a short transaction-scoped lock and numbers every
 * committed, unpositioned event consecutively, oldest id first. Readers only see positioned events, by position, so
 * every reader sees a gap-free prefix of one total order (the argument is in docs/design-event-ordering.md and in
 * the function's comment).
 *
 * <p>Who runs it: this instance after each of its own commits ({@link #committed}, coalesced: at most one run in
 * flight, and one more if commits arrive meanwhile), at start-up, and every {@code olympus.events.poll-interval},
 * so that the events of an instance that died between its commit and its sequencing are positioned by the others.
 * Runs from several instances simply queue on the lock; each positions what is waiting when it gets it. After a
 * run that positioned something, {@link EventSignal} wakes the dispatchers of every instance.
 */
@Singleton
public class EventSequencer {

    /** At most this many events per run (a bigger backlog takes several runs, back to back). */
    static final int BATCH = 1_000;

    private static final String ASSIGN = "SELECT positioned, newest FROM events_assign_positions($1)";

    private final DedicatedConnections connections;
    private final EventSignal signal;
    private final Vertx vertx;
    private final EventsConfig config;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}: completed when the run that starts next finishes. */
    private CompletableFuture<Void> next = new CompletableFuture<>();
    /** Guarded by {@link #lock}: a run is in flight. */
    private boolean running;
    /** Guarded by {@link #lock}: someone asked since the run in flight started. */
    private boolean requested;
    private long timer = -1;

    /** Only touched by the run in flight (runs never overlap); null until connected and after a failure. */
    private volatile PgConnection connection;

    public EventSequencer(DedicatedConnections connections, EventSignal signal, Vertx vertx, EventsConfig config) {
        this.connections = connections;
        this.signal = signal;
        this.vertx = vertx;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(Math.max(100, config.pollInterval().toMillis()), id -> request());
        request();
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        PgConnection current = connection;
        if (current != null) {
            current.close();
        }
    }

    /**
     * Events of this instance were committed: position them. Completes when a run that started after this call has
     * finished, so the caller's events are in the stream by then (read-your-writes for the writer: its 2xx comes after
     * its events are visible in polling and history). Never fails: a failed run leaves the events to the next one.
     */
    public Uni<Void> committed() {
        Uni<Void> done = Uni.createFrom().completionStage(request());
        // The run completes on the thread of its own connection: continue on the caller's context, as if undisturbed.
        Context caller = Vertx.currentContext();
        return caller == null ? done : done.emitOn(task -> caller.runOnContext(v -> task.run()));
    }

    // Every request waits for the run AFTER the one in progress (whose snapshot may predate the request's commit):
    // `next` is the future of the run that has not started yet, handed out under the lock and swapped when it starts.
    private CompletableFuture<Void> request() {
        CompletableFuture<Void> mine;
        boolean start;
        synchronized (lock) {
            mine = next;
            requested = true;
            start = !running;
            running = true;
        }
        if (start) {
            run(new ArrayList<>());
        }
        return mine;
    }

    /** Starts the next run; {@code waiting} are earlier runs' futures still waiting (their batch was full). */
    private void run(List<CompletableFuture<Void>> waiting) {
        synchronized (lock) {
            waiting.add(next);
            next = new CompletableFuture<>();
            requested = false;
        }
        assign().onComplete(result -> {
            if (result.failed()) {
                failed(result.cause(), waiting);
                return;
            }
            Row row = result.result().iterator().next();
            int positioned = row.getInteger("positioned");
            if (positioned > 0) {
                signal.positioned(row.getLong("newest"));
            }
            if (positioned == BATCH) {
                run(waiting); // more are waiting: the same callers wait for the rest
            } else {
                finished(waiting);
            }
        });
    }

    // Its own connection, not the pool's: writers wait for this run, and a run queued behind them for a pooled
    // connection would wait for the writers (a deadlock once the pool is full) or at least add their queueing time.
    private Future<RowSet<Row>> assign() {
        Future<PgConnection> ready = connection != null ? Future.succeededFuture(connection) : connections.connect();
        return ready.compose(conn -> {
            connection = conn;
            return conn.preparedQuery(ASSIGN).execute(Tuple.of(BATCH));
        });
    }

    private void failed(Throwable failure, List<CompletableFuture<Void>> waiting) {
        // The next commit or the safety timer tries again, on a new connection: no hot loop against a database
        // that is down. The waiting writers are released: their events are committed and will be positioned then.
        Log.warnf("Positioning committed events failed (%s); retrying on the next commit or poll", failure.toString());
        if (connection != null) {
            connection.close();
            connection = null;
        }
        CompletableFuture<Void> queued;
        synchronized (lock) {
            queued = next;
            next = new CompletableFuture<>();
            requested = false;
            running = false;
        }
        waiting.forEach(f -> f.complete(null));
        queued.complete(null);
    }

    private void finished(List<CompletableFuture<Void>> waiting) {
        boolean again;
        synchronized (lock) {
            again = requested;
            running = again;
        }
        waiting.forEach(f -> f.complete(null));
        if (again) {
            run(new ArrayList<>());
        }
    }
}
