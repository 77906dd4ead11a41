package dev.olympus.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.auth.AgentKilled;
import dev.olympus.db.Notifications;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This instance's event dispatcher: ONE reader of the event log that fans every new event out to the
 * WebSocket sessions connected here.
 *
 * <h2>Where events come from</h2>
 * The table is the truth; notifications are only wake-ups. {@link EventSequencer} gives committed events consecutive
 * positions after their commit, so positions become visible in order: once position N is visible, every lower
 * position is visible (docs/design-event-ordering.md). The dispatcher therefore keeps a single number,
 * {@code position}: every event up to it has been handed to every session. Whenever it is woken it reads
 * {@code events WHERE position > this.position ORDER BY position} (in batches), hands the batch to every session and
 * moves {@code position} to the batch's last one. It is woken by
 * <ul>
 *   <li>this instance's own commits, in memory, and a notification on {@link EventLog#CHANNEL} from any instance
 *       (both sent by {@link EventSignal} after the sequencing; the payload, the newest position, lets it skip
 *       wake-ups for events it has already read: several commits are often covered by one read);</li>
 *   <li>every reconnect of the LISTEN connection (notifications sent meanwhile are lost);</li>
 *   <li>a safety timer ({@code olympus.events.poll-interval}), so even a lost notification costs only delay.</li>
 * </ul>
 * At most one read runs at a time; a wake-up during a read makes the reader go again when it finishes (the
 * {@code again} flag is set before the {@code reading} flag is tried, so no wake-up is lost). With no session
 * connected, a wake-up only moves {@code position} to the head of the log, reading no rows.
 *
 * <h2>Joining without a window between replay and live</h2>
 * A session is registered and takes its replay target {@code D = position} in ONE critical section with the
 * dispatcher's hand-off (both under {@code lock}). Hence every event up to D was already dispatched before the
 * session existed (the session replays those from the table: {@code after < id <= D}, all visible by the
 * invariant above), and every event above D reaches the session through a later hand-off, which it buffers
 * while it replays. After the replay it sends the buffer, then goes live. Ids are compared at every step, so an
 * event is never sent twice and never skipped. The details, including a buffer that overflows during a long
 * replay (the session then replays further from the table instead), are in {@link EventSession}.
 *
 * <h2>Slow consumers</h2>
 * The hand-off is non-blocking: a batch is queued on each session's own event loop and filtered and written
 * there, so one slow or dead client never delays the dispatcher or the other sessions. A session whose unwritten
 * events exceed {@code olympus.events.max-buffered-per-connection} is closed (code 4000) and resumes by cursor.
 */
@ApplicationScoped
public class EventStream {

    /** Close codes: the 4xxx ones mirror the HTTP status of the same problem. */
    public static final int CLOSE_TOO_SLOW = 4000;
    public static final int CLOSE_TOKEN_EXPIRED = 4401;
    public static final int CLOSE_AGENT_KILLED = 4403;
    public static final int CLOSE_CURSOR_EXPIRED = 4410;
    public static final int CLOSE_TOO_MANY = 4429;

    static final int BATCH = 500;

    private final Vertx vertx;
    private final Pool pool;
    private final EventRepository repository;
    private final Notifications notifications;
    private final ObjectMapper json;
    private final EventsConfig config;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}: the sessions the dispatcher hands events to. */
    private final Set<EventSession> sessions = new HashSet<>();
    /** Guarded by {@link #lock}: every event up to here has been handed to every registered session; -1 before start. */
    private long position = -1;
    /** {@link #position} for lock-free reads (notification filtering, metrics). */
    private volatile long published = -1;

    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile boolean again;
    private long timer = -1;
    private final Thread shutdownHook = new Thread(this::closeAllForShutdown, "olympus-event-stream-shutdown");

    public EventStream(Vertx vertx, Pool pool, EventRepository repository, Notifications notifications,
                       ObjectMapper json, EventsConfig config) {
        this.vertx = vertx;
        this.pool = pool;
        this.repository = repository;
        this.notifications = notifications;
        this.json = json;
        this.config = config;
    }

    // Runs before Notifications connects (default priority), so the channel is LISTENed from the first connection.
    void start(@Observes @Priority(1000) StartupEvent event) {
        notifications.subscribe(EventLog.CHANNEL, this::onNotification);
        notifications.onReconnect(this::wake);
        // Start-up, not a request path: the dispatcher needs its starting point before the first session.
        long head = repository.head(pool).await().atMost(Duration.ofSeconds(60));
        synchronized (lock) {
            position = head;
            published = head;
        }
        timer = vertx.setPeriodic(Math.max(100, config.pollInterval().toMillis()), id -> wake());
        // On SIGTERM the HTTP drain (quarkus.shutdown.timeout) waits for every open request, and an upgraded
        // WebSocket counts until its connection closes; ShutdownEvent only comes after the drain. A JVM hook runs
        // alongside Quarkus' own, so subscribers are told at once (1001) and the drain is not held up by them.
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        closeAllForShutdown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook is running or has run
        }
    }

    private void closeAllForShutdown() {
        for (EventSession session : snapshot()) {
            session.closeFromOutside(1001, "server shutting down: resume from your last event id");
        }
    }

    /** Open event-stream sessions on this instance (for the sessions gauge). */
    public int openSessions() {
        synchronized (lock) {
            return sessions.size();
        }
    }

    /** Sessions of {@code agent} the dispatcher still serves (a closed session leaves at once). */
    long openSessions(String agent) {
        synchronized (lock) {
            return sessions.stream().filter(s -> s.agent().equals(agent)).count();
        }
    }

    /** The dispatcher's position: every event up to this id has been handed to every session. */
    public long position() {
        synchronized (lock) {
            return position;
        }
    }

    // ---- sessions ----

    /**
     * Registers {@code session} and returns its replay target: every event up to it was dispatched before the
     * session existed (replay them from the table); every later one will be handed to it. -1: not started yet.
     */
    long register(EventSession session) {
        synchronized (lock) {
            if (position < 0) {
                return -1;
            }
            sessions.add(session);
            return position;
        }
    }

    void unregister(EventSession session) {
        synchronized (lock) {
            sessions.remove(session);
        }
    }

    /** Kill switch: a killed agent's sessions are closed at once, on every instance (the event fires on each). */
    void onAgentKilled(@Observes AgentKilled killed) {
        for (EventSession session : snapshot()) {
            if (session.agent().equals(killed.agent())) {
                session.closeFromOutside(CLOSE_AGENT_KILLED, "agent-killed: this agent has been killed by an operator");
            }
        }
    }

    private List<EventSession> snapshot() {
        synchronized (lock) {
            return new ArrayList<>(sessions);
        }
    }

    // ---- the reader ----

    private void onNotification(String payload) {
        try {
            if (Long.parseLong(payload.trim()) <= published) {
                return; // already read: an earlier read covered this commit
            }
        } catch (NumberFormatException e) {
            // not ours to judge: read anyway
        }
        wake();
    }

    /** Makes the dispatcher read the log now (or again right after the read in progress). */
    public void wake() {
        again = true;
        if (reading.compareAndSet(false, true)) {
            read();
        }
    }

    private void read() {
        again = false;
        long from;
        boolean idle;
        synchronized (lock) {
            from = position;
            idle = sessions.isEmpty();
        }
        if (from < 0) {
            finished();
            return;
        }
        if (idle) {
            repository.head(pool).subscribe().with(head -> {
                synchronized (lock) {
                    if (sessions.isEmpty() && position == from) {
                        position = Math.max(position, head);
                        published = position;
                    } else {
                        again = true; // a session joined meanwhile: it needs a real read from `from`
                    }
                }
                finished();
            }, this::failed);
            return;
        }
        repository.after(pool, from, BATCH).subscribe().with(rows -> {
            dispatch(rows);
            if (rows.size() == BATCH) {
                read();
            } else {
                finished();
            }
        }, this::failed);
    }

    private void dispatch(List<EventRepository.Stored> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<StreamedEvent> batch = new ArrayList<>(rows.size());
        for (EventRepository.Stored row : rows) {
            batch.add(new StreamedEvent(row.id(), row.event().type(), row.audience(), toJson(row.event())));
        }
        List<StreamedEvent> handed = List.copyOf(batch);
        synchronized (lock) {
            for (EventSession session : sessions) {
                session.offer(handed);
            }
            position = handed.getLast().id();
            published = position;
        }
    }

    private void finished() {
        reading.set(false);
        if (again && reading.compareAndSet(false, true)) {
            read();
        }
    }

    private void failed(Throwable failure) {
        // The timer, the next notification or the next reconnect tries again; no hot loop on a dead database.
        Log.warnf("Reading the event log failed (%s); retrying on the next wake-up", failure.toString());
        reading.set(false);
    }

    String toJson(Event event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An event could not be serialised", e);
        }
    }

    EventsConfig config() {
        return config;
    }

    Pool pool() {
        return pool;
    }

    EventRepository repository() {
        return repository;
    }
}
