package dev.olympus.event;

import io.quarkus.logging.Log;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wakes the event dispatchers after events were positioned ({@link EventSequencer}): this instance's at once, in memory, and every other
 * instance's through {@code pg_notify} on {@link EventLog#CHANNEL}.
 *
 * <p>Why after the commit and not inside the writing transaction: a {@code NOTIFY} makes its transaction take
 * PostgreSQL's global notification lock at commit, which cost about a fifth of an event-writing transaction's
 * throughput (measured with pgbench on the claim transaction). Sent from here, one notification covers every
 * sequencing that happened while the previous one was on its way: at most one is in flight per instance, carrying
 * the newest position.
 *
 * <p>What a lost notification costs: if this instance dies between a sequencing and its notification, or the
 * notification fails, other instances read the event on their next safety poll ({@code olympus.events.poll-interval})
 * or LISTEN reconnect. The log, not the signal, is the truth, so nothing is missed, only later.
 */
@Singleton
public class EventSignal {

    private static final String NOTIFY = "SELECT pg_notify($1, $2)";

    private final Pool pool;
    private final EventStream stream;
    private final AtomicLong newest = new AtomicLong(-1);
    private final AtomicBoolean sending = new AtomicBoolean();

    public EventSignal(Pool pool, EventStream stream) {
        this.pool = pool;
        this.stream = stream;
    }

    /** Events up to position {@code newestPosition} are positioned and committed. */
    public void positioned(long newestPosition) {
        stream.wake();
        newest.accumulateAndGet(newestPosition, Math::max);
        if (sending.compareAndSet(false, true)) {
            send();
        }
    }

    private void send() {
        long id = newest.get();
        pool.preparedQuery(NOTIFY).execute(Tuple.of(EventLog.CHANNEL, Long.toString(id))).subscribe().with(
                sent -> sent(id),
                failure -> {
                    Log.debugf("Could not notify other instances of position %d (they poll): %s", id, failure.getMessage());
                    sent(id);
                });
    }

    // A commit that raised `newest` while the notification was on its way either sees `sending` still set (and
    // this re-check sends for it) or finds it cleared and sends itself: no commit is left without a notification.
    private void sent(long id) {
        sending.set(false);
        if (newest.get() > id && sending.compareAndSet(false, true)) {
            send();
        }
    }
}
