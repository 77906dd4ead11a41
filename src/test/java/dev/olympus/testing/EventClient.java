package dev.olympus.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber of {@code /api/v1/events/ws} for tests, on the JDK WebSocket client: collects every event it
 * receives and how the connection closed. A {@link #slow} client reads one message and then nothing more, so the
 * server's writes back up (the JDK client only reads from the socket when messages are requested).
 */
public final class EventClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason;
    private volatile WebSocket socket;
    private volatile boolean paused;

    private EventClient() {}

    /** Connects as {@code key} to {@code baseUrl} (http://host:port) with {@code query} (e.g. "after=5&type=task.*"). */
    public static EventClient connect(String baseUrl, String key, String query) {
        return connect(baseUrl, key, query, false);
    }

    /** A client that reads one message and then stops reading. */
    public static EventClient slow(String baseUrl, String key, String query) {
        return connect(baseUrl, key, query, true);
    }

    public static EventClient connect(String baseUrl, String key, String query, boolean slow) {
        EventClient client = new EventClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        client.socket = builder.buildAsync(uri(baseUrl, query), client.listener(slow)).orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    /** The HTTP status of a refused upgrade (the connection must be refused). */
    public static int refusal(String baseUrl, String key, String query) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        try {
            WebSocket ws = builder.buildAsync(uri(baseUrl, query), new WebSocket.Listener() {}).orTimeout(10, TimeUnit.SECONDS).join();
            ws.abort();
            throw new AssertionError("The upgrade was accepted");
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    private static URI uri(String baseUrl, String query) {
        String ws = baseUrl.replaceFirst("^http", "ws");
        return URI.create(ws + "/api/v1/events/ws" + (query == null || query.isEmpty() ? "" : "?" + query));
    }

    private WebSocket.Listener listener(boolean slow) {
        paused = slow;
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        events.add(JSON.readTree(partial.toString()));
                    } catch (Exception e) {
                        throw new IllegalStateException("Not JSON: " + partial, e);
                    }
                    partial.setLength(0);
                    if (!paused) {
                        ws.request(1);
                    }
                } else {
                    ws.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closeReason = reason;
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closeReason = String.valueOf(error);
                closed.complete(-1);
            }
        };
    }

    /** A {@link #slow} client starts reading again: its backlog, then whatever follows (e.g. the close frame). */
    public void resumeReading() {
        paused = false;
        socket.request(1);
    }

    /** Every event received so far, in arrival order. */
    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    public List<Long> ids() {
        return events.stream().map(e -> e.get("id").asLong()).toList();
    }

    public long lastId() {
        List<Long> ids = ids();
        return ids.isEmpty() ? -1 : ids.getLast();
    }

    public int count() {
        return events.size();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** The close code the server sent (-1 for an error), or null while open. */
    public Integer closeCode() {
        return closed.getNow(null);
    }

    public String closeReason() {
        return closeReason;
    }

    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws != null && !closed.isDone()) {
            ws.abort();
        }
    }

    /** A normal close (1000), as a well-behaved client does. */
    public void closeNormally() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).join();
    }
}
