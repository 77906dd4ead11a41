package dev.olympus.db;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * This instance's LISTEN connection: PostgreSQL notifications from every instance sharing the database,
 * dispatched to in-process subscribers by channel. Notifications are wake-ups, never the truth: a
 * subscriber re-reads the tables, and after a reconnect (when notifications may have been missed) every
 * {@link #onReconnect} callback runs so that it can catch up.
 *
 * <p>Why not Vert.x's {@code PgSubscriber} (looked at in 4.5.27, the version Quarkus 3.33 ships): its reconnect
 * policy and re-LISTEN would replace {@link #retryLater} and the LISTEN on connect, but what it leaves out would
 * come back around it, so the code would not shrink. Its first {@code connect()} is not retried when the database is
 * down at start-up, and calling {@code connect()} again after that failure does nothing (the subscriber no longer
 * counts as closed; the returned future never completes), so a start during an outage needs our own loop plus a
 * {@code close()} first. It reports a connection before its LISTEN has succeeded, while readiness
 * ({@link #listening}) must mean "subscribed". It does not tell a reconnect from the first connect (the catch-up
 * callbacks must run only after a reconnect). And a handler that throws stops the handlers after it. The safety poll
 * ({@code olympus.events.poll-interval}, in the event stream) is independent of either implementation.
 */
@ApplicationScoped
public class Notifications {

    private static final long MAX_BACKOFF_MS = 5_000;

    private final Vertx vertx;
    private final DedicatedConnections connections;
    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
    private final List<Runnable> reconnectCallbacks = new CopyOnWriteArrayList<>();
    private volatile PgConnection connection;
    private volatile boolean stopped;
    private volatile boolean connectedBefore;
    private long backoffMs = 100;

    public Notifications(Vertx vertx, DedicatedConnections connections) {
        this.vertx = vertx;
        this.connections = connections;
    }

    /** Calls {@code handler} with each notification's payload on {@code channel}, on an event-loop thread. */
    public void subscribe(String channel, Consumer<String> handler) {
        boolean first = subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).isEmpty();
        subscribers.get(channel).add(handler);
        PgConnection current = connection;
        if (first && current != null) {
            current.query("LISTEN " + quote(channel)).execute();
        }
    }

    /** Runs after every reconnect: notifications sent while disconnected are lost, so re-read state. */
    public void onReconnect(Runnable callback) {
        reconnectCallbacks.add(callback);
    }

    /** True while the LISTEN connection is up (readiness). */
    public boolean listening() {
        return connection != null;
    }

    void start(@Observes StartupEvent event) {
        connect();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        PgConnection current = connection;
        connection = null;
        if (current != null) {
            current.close();
        }
    }

    private void connect() {
        if (stopped) {
            return;
        }
        connections.connect().onComplete(result -> {
            if (result.failed()) {
                Log.warnf("LISTEN connection failed (%s); retrying in %d ms", result.cause().getMessage(), backoffMs);
                retryLater();
                return;
            }
            PgConnection conn = result.result();
            conn.notificationHandler(n -> dispatch(n.getChannel(), n.getPayload()));
            conn.closeHandler(v -> {
                if (connection == conn) {
                    connection = null;
                    Log.warn("LISTEN connection lost; reconnecting");
                    retryLater();
                }
            });
            Set<String> channels = Set.copyOf(subscribers.keySet());
            String listen = channels.stream().map(c -> "LISTEN " + quote(c)).reduce((a, b) -> a + "; " + b).orElse("SELECT 1");
            conn.query(listen).execute().onComplete(listened -> {
                if (listened.failed()) {
                    conn.close();
                    retryLater();
                    return;
                }
                boolean reconnect = connectedBefore;
                connectedBefore = true;
                backoffMs = 100;
                connection = conn;
                if (reconnect) {
                    reconnectCallbacks.forEach(Notifications::runSafely);
                }
            });
        });
    }

    private void retryLater() {
        if (stopped) {
            return;
        }
        long delay = backoffMs;
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        vertx.setTimer(delay, id -> connect());
    }

    private void dispatch(String channel, String payload) {
        List<Consumer<String>> handlers = subscribers.get(channel);
        if (handlers != null) {
            for (Consumer<String> handler : handlers) {
                try {
                    handler.accept(payload);
                } catch (RuntimeException e) {
                    Log.errorf(e, "Notification handler for %s failed", channel);
                }
            }
        }
    }

    private static void runSafely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            Log.error("Reconnect callback failed", e);
        }
    }

    private static String quote(String channel) {
        return "\"" + channel.replace("\"", "\"\"") + "\"";
    }
}
