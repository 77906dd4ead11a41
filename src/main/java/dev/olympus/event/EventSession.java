package dev.olympus.event;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WebSocket subscriber: replays the stored events after its cursor, then streams live ones, in id order,
 * without gaps or duplicates.
 *
 * <p><b>Threading.</b> All state except the two atomics is confined to the connection's Vert.x context: the
 * dispatcher hands batches over with {@link #offer} (which only queues a task on that context), and database
 * results hop back onto it. Tasks on one context run one after the other, in order, so the session needs no lock
 * and its writes leave in the order they were issued.
 *
 * <p><b>States.</b>
 * <ol>
 *   <li>{@code REPLAYING}: at registration the dispatcher gave a replay target D (see {@link EventStream}). The
 *       session reads the table page by page, {@code position < id <= D}, filtered in SQL, and writes each page,
 *       waiting until it is written before reading the next (a slow reader slows its own replay, nothing else).
 *       Live batches arriving meanwhile hold only ids above D: matching ones wait in {@code pending}. If
 *       {@code pending} would exceed the per-connection bound, it is dropped and the session, once at D, takes a
 *       new target D' from the dispatcher and replays (D, D'] from the table too; every dropped event is at most
 *       D', because the dispatcher had dispatched it. This repeats until the session catches up.</li>
 *   <li>{@code LIVE}: the session writes every matching event above {@code position} as batches arrive.
 *       {@code position} is the id of the last event sent or filtered out; anything at or below it is a
 *       duplicate and dropped. If more than {@code olympus.events.max-buffered-per-connection} events are still
 *       unwritten, the client cannot keep up: it is closed with 4000 "too slow: resume from cursor N".</li>
 *   <li>{@code CLOSED}: everything is ignored.</li>
 * </ol>
 * A cursor that retention has passed (events after it were deleted) closes the session with 4410.
 */
final class EventSession {

    private enum State { REPLAYING, LIVE, CLOSED }

    private final EventStream stream;
    private final WebSocketConnection connection;
    private final Context context;
    private final Subscription subscription;
    private final int maxBuffered;
    private final int replayPage;

    private State state = State.REPLAYING;
    /** Every event up to this id has been sent to the client or filtered out. */
    private long position;
    /** While replaying: replay from the table up to here; live events above it wait in {@link #pending}. */
    private long replayTarget;
    private final ArrayDeque<StreamedEvent> pending = new ArrayDeque<>();
    private boolean pendingDropped;
    /** The timer that ends a session opened with an access token when the token expires; -1 when none. */
    private long expiryTimer = -1;

    /** Events handed to the connection whose write has not completed yet. */
    private final AtomicInteger unwritten = new AtomicInteger();
    /** The id of the last event whose write completed. */
    private final AtomicLong written = new AtomicLong();

    EventSession(EventStream stream, WebSocketConnection connection, Context context, Subscription subscription) {
        this.stream = stream;
        this.connection = connection;
        this.context = context;
        this.subscription = subscription;
        this.maxBuffered = Math.max(1, stream.config().maxBufferedPerConnection());
        this.replayPage = Math.min(200, maxBuffered);
    }

    String agent() {
        return subscription.caller().name();
    }

    /**
     * Starts the session on its context, right after {@link EventStream#register} returned {@code target}.
     * Must run on {@link #context} before any batch the dispatcher hands over (it does: it runs in the same task
     * as the registration, and hand-offs are queued behind it).
     */
    void start(long target) {
        replayTarget = target;
        Long after = subscription.after();
        position = after == null ? target : after;
        written.set(position);
        closeWhenTheTokenExpires();
        replayNext();
    }

    /**
     * A session opened with an access token ends when the token does, as its next request would be refused: the
     * client exchanges its key for a new token and resumes from its last event id. API keys do not expire.
     */
    private void closeWhenTheTokenExpires() {
        long expiresAt = subscription.caller().expiresAt();
        if (expiresAt <= 0) {
            return;
        }
        long delay = Math.max(1, expiresAt * 1000 - System.currentTimeMillis());
        String reason = "token-expired: get a new access token and resume from your last event id";
        expiryTimer = context.owner().setTimer(delay,
                id -> context.runOnContext(v -> close(EventStream.CLOSE_TOKEN_EXPIRED, reason)));
    }

    /** Called by the dispatcher, under its lock: queue the batch on this session's context and return at once. */
    void offer(List<StreamedEvent> batch) {
        context.runOnContext(v -> onLive(batch));
    }

    /** Closes the session from another thread (kill switch, shutdown). */
    void closeFromOutside(int code, String reason) {
        context.runOnContext(v -> close(code, reason));
    }

    /** The connection closed (by the client, the network or us). */
    void closed() {
        context.runOnContext(v -> {
            state = State.CLOSED;
            pending.clear();
            stream.unregister(this);
            cancelExpiryTimer();
        });
    }

    // ---- replay ----

    private void replayNext() {
        if (state != State.REPLAYING) {
            return;
        }
        if (position >= replayTarget) {
            finishReplay();
            return;
        }
        long from = position;
        stream.repository().slice(stream.pool(), subscription.filter(), from, replayTarget, replayPage)
                .subscribe().with(
                        slice -> context.runOnContext(v -> onReplayPage(from, slice)),
                        failure -> context.runOnContext(v -> {
                            Log.warnf("Replaying events for %s failed: %s", agent(), failure.toString());
                            close(1011, "server error: resume from cursor " + written.get());
                        }));
    }

    private void onReplayPage(long from, EventRepository.Slice slice) {
        if (state != State.REPLAYING) {
            return;
        }
        if (from < slice.prunedThrough()) {
            close(EventStream.CLOSE_CURSOR_EXPIRED, "cursor-expired: events after " + from
                    + " were deleted; the oldest valid cursor is " + slice.prunedThrough());
            return;
        }
        List<EventRepository.Stored> events = slice.events();
        for (int i = 0; i < events.size(); i++) {
            EventRepository.Stored event = events.get(i);
            position = event.id();
            boolean last = i == events.size() - 1;
            // The next page is read once this one is written: replay goes at the client's pace.
            send(event.id(), stream.toJson(event.event()), last ? this::replayNext : null);
        }
        if (events.size() < replayPage) {
            position = Math.max(position, replayTarget); // nothing else in the range is for this subscriber
        }
        if (events.isEmpty()) {
            replayNext();
        }
    }

    private void finishReplay() {
        if (pendingDropped) {
            // Live events overflowed while replaying: they are all in the table by now; replay further.
            pendingDropped = false;
            pending.clear();
            replayTarget = stream.position();
            replayNext();
            return;
        }
        state = State.LIVE;
        StreamedEvent event;
        while ((event = pending.poll()) != null) {
            deliver(event);
        }
        checkBacklog();
    }

    // ---- live ----

    private void onLive(List<StreamedEvent> batch) {
        switch (state) {
            case CLOSED -> { }
            case REPLAYING -> {
                for (StreamedEvent event : batch) {
                    if (event.id() <= replayTarget || pendingDropped || !matches(event)) {
                        continue;
                    }
                    if (pending.size() >= maxBuffered) {
                        pendingDropped = true;
                        pending.clear();
                    } else {
                        pending.add(event);
                    }
                }
            }
            case LIVE -> {
                // The backlog is judged when the next batch comes, so writes that complete promptly have completed;
                // a client that cannot keep up is closed instead of growing its buffer beyond one batch.
                checkBacklog();
                for (StreamedEvent event : batch) {
                    deliver(event);
                }
            }
        }
    }

    private void deliver(StreamedEvent event) {
        if (event.id() <= position) {
            return; // already sent (replay overlap) or filtered out
        }
        position = event.id();
        if (matches(event)) {
            send(event.id(), event.json(), null);
        }
    }

    private boolean matches(StreamedEvent event) {
        return subscription.filter().matches(event.type(), event.audience());
    }

    private void checkBacklog() {
        if (state == State.LIVE && unwritten.get() > maxBuffered) {
            close(EventStream.CLOSE_TOO_SLOW, "too slow: resume from cursor " + written.get());
        }
    }

    // ---- writing ----

    private void send(long id, String json, Runnable whenWritten) {
        if (state == State.CLOSED) {
            return;
        }
        unwritten.incrementAndGet();
        connection.sendText(json).subscribe().with(ok -> {
            unwritten.decrementAndGet();
            written.accumulateAndGet(id, Math::max);
            if (whenWritten != null) {
                context.runOnContext(v -> whenWritten.run());
            }
        }, failure -> unwritten.decrementAndGet()); // the connection is closing; @OnClose cleans up
    }

    private void close(int code, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        pending.clear();
        stream.unregister(this);
        cancelExpiryTimer();
        Log.debugf("Closing the event stream of %s: %d %s", agent(), code, reason);
        connection.close(new CloseReason(code, reason)).subscribe().with(
                ok -> { },
                failure -> Log.debugf("Closing an event stream failed: %s", failure.toString()));
    }

    private void cancelExpiryTimer() {
        if (expiryTimer >= 0) {
            context.owner().cancelTimer(expiryTimer);
            expiryTimer = -1;
        }
    }
}
