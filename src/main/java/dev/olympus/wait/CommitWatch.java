package dev.olympus.wait;

import dev.olympus.db.Notifications;
import dev.olympus.event.EventLog;
import dev.olympus.event.EventRepository;
import dev.olympus.event.EventsConfig;
import dev.olympus.system.Freeze;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells in-process listeners "something was committed, on some instance": the wake-up of every long poll and of the
 * webhook deliverer. It rides on what already exists: {@code EventSignal} notifies {@link EventLog#CHANNEL} after
 * every commit with events (on every instance, this one included: the LISTEN connection hears its own instance's
 * notifications too), a freeze or unfreeze notifies {@link Freeze#CHANNEL}, and a reconnect of the LISTEN connection
 * (notifications may have been lost meanwhile) counts as a commit.
 *
 * <p>The safety poll: every {@code olympus.events.poll-interval}, one query reads the log's head, and listeners are
 * woken if it moved past the newest id a notification announced. Idle costs one cheap query per interval, whatever
 * the number of waiters.
 */
@ApplicationScoped
public class CommitWatch {

    private final Vertx vertx;
    private final Pool pool;
    private final Notifications notifications;
    private final EventRepository events;
    private final EventsConfig config;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong announced = new AtomicLong(-1);
    private final AtomicBoolean polling = new AtomicBoolean();
    private long timer = -1;

    public CommitWatch(Vertx vertx, Pool pool, Notifications notifications, EventRepository events, EventsConfig config) {
        this.vertx = vertx;
        this.pool = pool;
        this.notifications = notifications;
        this.events = events;
        this.config = config;
    }

    // Before Notifications connects (default priority), so the channels are LISTENed from the first connection.
    void start(@Observes @Priority(1100) StartupEvent event) {
        notifications.subscribe(EventLog.CHANNEL, this::onEvents);
        notifications.subscribe(Freeze.CHANNEL, payload -> fire());
        notifications.onReconnect(this::fire);
        timer = vertx.setPeriodic(Math.max(100, config.pollInterval().toMillis()), id -> poll());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Calls {@code listener} after every commit seen (on an event-loop thread; it must not block). */
    public void listen(Runnable listener) {
        listeners.add(listener);
    }

    private void onEvents(String payload) {
        try {
            announced.accumulateAndGet(Long.parseLong(payload.trim()), Math::max);
        } catch (NumberFormatException e) {
            // not ours to judge: wake anyway
        }
        fire();
    }

    private void poll() {
        if (!polling.compareAndSet(false, true)) {
            return;
        }
        events.head(pool).subscribe().with(head -> {
            polling.set(false);
            if (head > announced.getAndAccumulate(head, Math::max)) {
                fire();
            }
        }, failure -> {
            polling.set(false);
            Log.debugf("Safety poll of the event log failed: %s", failure.getMessage());
        });
    }

    private void fire() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                Log.error("A commit listener failed", e);
            }
        }
    }
}
