package dev.olympus.event;

import dev.olympus.metrics.OlympusMetrics;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /api/v1/events/ws}: the event stream over a WebSocket. The upgrade is authenticated and its parameters
 * checked by {@link EventSocketCheck}; this endpoint only ties connections to {@link EventSession}s. The server
 * sends one JSON event per text message and ignores what the client sends; idle connections are kept alive by
 * pings ({@code quarkus.websockets-next.server.auto-ping-interval}).
 */
@WebSocket(path = "/api/v1/events/ws", endpointId = EventSocket.ENDPOINT)
public class EventSocket {

    static final String ENDPOINT = "olympus-events";
    static final UserData.TypedKey<Subscription> SUBSCRIPTION = new UserData.TypedKey<>("olympus.events.subscription");
    static final UserData.TypedKey<Runnable> ON_CLOSED = new UserData.TypedKey<>("olympus.events.on-closed");

    private final EventStream stream;
    private final ConnectionQuota quota;
    private final OlympusMetrics metrics;
    private final Map<String, EventSession> sessions = new ConcurrentHashMap<>();

    public EventSocket(EventStream stream, ConnectionQuota quota, OlympusMetrics metrics) {
        this.stream = stream;
        this.quota = quota;
        this.metrics = metrics;
    }

    /** Runs on the connection's event loop (it returns a Uni): the session's context is the current one. */
    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        Subscription subscription = connection.userData().get(SUBSCRIPTION);
        if (subscription == null) {
            return connection.close(new CloseReason(1008, "unauthenticated"));
        }
        String agent = subscription.caller().name();
        if (!quota.reserve(agent)) {
            // The upgrade check saw room, but a concurrent upgrade took it.
            return connection.close(new CloseReason(EventStream.CLOSE_TOO_MANY,
                    "too many connections: at most " + quota.max() + " per agent"));
        }
        EventSession session = new EventSession(stream, connection, Vertx.currentContext(), subscription);
        sessions.put(connection.id(), session);
        metrics.websocketOpened();
        long target = stream.register(session);
        if (target < 0) {
            return connection.close(new CloseReason(1013, "starting up: try again"));
        }
        session.start(target);
        return Uni.createFrom().voidItem();
    }

    @OnClose
    public Uni<Void> close(WebSocketConnection connection) {
        EventSession session = sessions.remove(connection.id());
        if (session != null) {
            metrics.websocketClosed();
            session.closed();
            quota.release(session.agent());
        }
        Runnable onClosed = connection.userData().get(ON_CLOSED);
        if (onClosed != null) {
            onClosed.run();
        }
        return Uni.createFrom().voidItem();
    }
}
