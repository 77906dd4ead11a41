package dev.olympus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** oly events tail: the stored events after a cursor, then (--follow) live ones over the WebSocket, resuming on drops. */
@Command(name = "events", description = "Read the event stream.", subcommands = {EventCommands.Tail.class})
final class EventCommands extends Group {

    @Command(name = "tail", description = "Print events after a cursor, one JSON object per line; --follow keeps streaming (WebSocket), resuming where it left off.")
    static final class Tail extends Base {
        private static final Pattern OLDEST = Pattern.compile("oldest valid cursor is (\\d+)");

        @Option(names = "--after", paramLabel = "ID", description = "Start after this event id (default: 0, or now with --follow).")
        Long after;
        @Option(names = {"-f", "--follow"}, description = "Keep streaming new events until interrupted (or --count).")
        boolean follow;
        @Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
        Long count;
        @Option(names = "--type", split = ",", paramLabel = "TYPE", description = "Event types (comma list; task.* for a family).")
        List<String> types;
        @Option(names = "--assignee", split = ",", paramLabel = "AGENT", description = "Events of these agents and their tasks ('me').")
        List<String> assignees;

        private long cursor;
        private long printed;

        @Override
        int run() {
            if (count != null && count < 1) {
                throw CliException.usage("--count must be at least 1");
            }
            if (after != null && after < 0) {
                throw CliException.usage("--after must be an event id (0 or more)");
            }
            if (follow) {
                cursor = after != null ? after : page(null, 1).path("head").asLong();
                return stream();
            }
            cursor = after == null ? 0 : after;
            while (!done()) {
                JsonNode page = page(cursor, 200);
                for (JsonNode event : page.path("items")) {
                    print(Json.write(event), event);
                    if (done()) {
                        break;
                    }
                }
                if (page.path("nextCursor").isNull() || page.path("items").isEmpty()) {
                    break;
                }
                cursor = page.path("nextCursor").asLong();
            }
            return Exit.OK;
        }

        private JsonNode page(Long from, int limit) {
            Map<String, Object> params = filters();
            params.put("after", from);
            params.put("limit", limit);
            return api().call("GET", "/api/v1/events" + Api.query(params), null).json();
        }

        private Map<String, Object> filters() {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("type", types);
            params.put("assignee", assignees);
            return params;
        }

        private boolean done() {
            return count != null && printed >= count;
        }

        private void print(String text, JsonNode event) {
            cursor = Math.max(cursor, event.path("id").asLong());
            printed++;
            if (cli().field != null) {
                output().field(event);
            } else if (cli().tables()) {
                output().row(event, Output.EVENT_COLUMNS);
            } else {
                cli().out.println(text);
            }
            cli().out.flush();
        }

        /** One WebSocket session after another, each resuming after the last printed id, until --count or a hard close. */
        private int stream() {
            Instant lostSince = null;
            while (true) {
                Session session = new Session();
                Map<String, Object> params = filters();
                params.put("after", cursor);
                URI uri = URI.create(api().base().toString().replaceFirst("^http", "ws") + "/api/v1/events/ws" + Api.query(params));
                try {
                    WebSocket socket = api().http().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                            .header("Authorization", api().authorization()).buildAsync(uri, session).get(10, TimeUnit.SECONDS);
                    lostSince = null;
                    Session.End end = session.end.get();
                    if (end.done) {
                        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
                        return Exit.OK;
                    }
                    cli().debug("event stream closed: " + end.code + " " + end.reason);
                    switch (end.code) {
                        case 4403 -> throw CliException.local(Exit.FORBIDDEN, "agent-killed", "The event stream was closed: " + end.reason);
                        case 1008, 4401 -> throw CliException.local(Exit.FORBIDDEN, "unauthorized", "The event stream was closed: " + end.reason);
                        case 4410 -> {
                            Matcher oldest = OLDEST.matcher(end.reason);
                            cli().err.println(Json.write(CliException.local(Exit.OTHER, "cursor-expired", end.reason
                                    + "; continuing from the oldest valid cursor").problem));
                            if (!oldest.find()) {
                                throw CliException.local(Exit.OTHER, "cursor-expired", end.reason);
                            }
                            cursor = Long.parseLong(oldest.group(1));
                        }
                        default -> pause();
                    }
                } catch (ExecutionException | TimeoutException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof WebSocketHandshakeException handshake) {
                        throw api().failure(new Api.Response(handshake.getResponse().statusCode(),
                                handshake.getResponse().body() instanceof String s ? s : null, handshake.getResponse().headers()));
                    }
                    lostSince = lostSince == null ? Instant.now() : lostSince;
                    if (Instant.now().isAfter(lostSince.plus(cli().maxWait))) {
                        throw CliException.local(Exit.UNAVAILABLE, "unreachable", "Cannot reach the event stream at " + uri
                                + ": " + (cause == null ? e : cause), e);
                    }
                    cli().debug("event stream unreachable (" + cause + "); trying again");
                    pause();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Exit.OK;
                }
            }
        }

        private static void pause() {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Prints each event as it arrives (the listener is called one message at a time). */
        private final class Session implements WebSocket.Listener {
            record End(boolean done, int code, String reason) {}

            final CompletableFuture<End> end = new CompletableFuture<>();
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    String text = message.toString();
                    message.setLength(0);
                    try {
                        JsonNode event = Json.parse(text);
                        if (event.path("id").asLong() > cursor) {   // never twice, even across a resume
                            print(text, event);
                        }
                    } catch (IOException e) {
                        cli().debug("not an event: " + text);
                    }
                    if (done()) {
                        end.complete(new End(true, 0, ""));
                        return null;
                    }
                }
                socket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                end.complete(new End(false, code, reason));
                return null;
            }

            @Override
            public void onError(WebSocket socket, Throwable error) {
                end.complete(new End(false, 1006, String.valueOf(error)));
            }
        }
    }
}
