package dev.olympus.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import picocli.CommandLine.Command;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The AOT cache's training workload (hidden; run by bin/train during the build): the usual commands, with tables
 * and JSON, successes and problems, against an in-process stub of the API, so that the classes of a real call are
 * loaded and linked ahead of time.
 */
@Command(name = "__train", hidden = true)
final class Training extends Base {

    private static final String TASK = """
            {"id":7,"title":"Train","description":null,"status":"in_progress","priority":"high","assignee":"w","createdBy":"o",\
            "labels":["java"],"dependsOn":[],"ready":true,"attempt":1,"retryOf":null,"result":null,"needsAttention":false,\
            "attentionReason":null,"leaseExpiresAt":"2026-12-07T10:00:00Z","leaseEpoch":3,"version":2,\
            "createdAt":"2026-12-07T09:00:00Z","updatedAt":"2026-12-07T09:00:00Z","startedAt":null,"completedAt":null,"commentCount":0}""";
    private static final String AGENT = """
            {"name":"w","role":"worker","description":null,"heartbeatIntervalSeconds":3600,"capabilities":[],"wipLimit":null,\
            "state":"active","stateReason":null,"lastHeartbeatAt":null,"nextHeartbeatDueAt":"2026-12-07T10:00:00Z",\
            "openTasks":1,"inProgressTasks":1,"createdAt":"2026-12-07T09:00:00Z"}""";
    private static final String CONFLICT = """
            {"type":"https://olympus.dev/problems/lease-lost","title":"Lease lost","status":409,"detail":"no","code":"lease-lost"}""";

    @Override
    int run() {
        HttpServer server;
        Path home;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            home = Files.createTempDirectory("oly-train-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", Training::answer);
        server.start();
        try {
            Path plan = home.resolve("plan.yaml");
            Files.writeString(plan, "tasks:\n  - ref: a\n    title: A\n  - ref: b\n    title: B\n    dependsOn: [a]\n");
            Map<String, String> env = Map.of("OLYMPUS_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "OLYMPUS_API_KEY", "olk_training", "OLYMPUS_CONFIG_DIR", home.toString());
            String[][] runs = {
                    {"whoami"}, {"tasks", "list", "--status", "todo,in_progress"}, {"tasks", "show", "7"}, {"claim", "--label", "java"},
                    {"heartbeat", "--task", "7", "--note", "n"}, {"comment", "7", "progress"}, {"start", "7"},
                    {"done", "7", "--result", "r"}, {"block", "7", "--reason", "why"}, {"agents", "list"},
                    {"events", "tail", "--after", "0", "--count", "1"}, {"plans", "create", "--file", plan.toString()},
                    {"tasks", "create", "--title", "t", "--label", "x"}, {"velocity"}, {"tasks", "show", "409"},
                    {"tasks", "list", "--bogus"}, {"--help"},
            };
            for (boolean tty : new boolean[]{false, true}) {
                for (String[] args : runs) {
                    PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
                    Main.execute(Main.context(env, sink, sink, new ByteArrayInputStream(new byte[0]), tty), args);
                }
            }
            return Exit.OK;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            Cli.use(null);
            server.stop(0);
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary folder
            }
        }
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        exchange.getRequestBody().readAllBytes();
        int status = 200;
        String body;
        if (path.endsWith("/409")) {
            status = 409;
            body = CONFLICT;
        } else if (path.startsWith("/api/v1/agents/me/heartbeat")) {
            body = "{\"serverTime\":\"2026-12-07T09:00:00Z\",\"nextHeartbeatDueAt\":\"2026-12-07T10:00:00Z\",\"taskId\":7}";
        } else if (path.startsWith("/api/v1/agents/me")) {
            body = AGENT;
        } else if (path.equals("/api/v1/agents")) {
            body = "{\"items\":[" + AGENT + "],\"nextCursor\":null}";
        } else if (path.equals("/api/v1/tasks") && "GET".equals(exchange.getRequestMethod())) {
            body = "{\"items\":[" + TASK + "," + TASK + "],\"nextCursor\":\"7\"}";
        } else if (path.equals("/api/v1/events")) {
            body = "{\"items\":[{\"id\":1,\"type\":\"task.created\",\"at\":\"2026-12-07T09:00:00Z\",\"actor\":\"o\",\"taskId\":7,\"data\":{}}],"
                    + "\"nextCursor\":null,\"head\":1}";
        } else if (path.equals("/api/v1/plans")) {
            status = 201;
            body = "{\"tasks\":[" + TASK + "]}";
        } else if (path.startsWith("/api/v1/metrics")) {
            body = "{\"since\":\"a\",\"until\":\"b\",\"bucket\":\"day\",\"buckets\":[{\"start\":\"a\",\"created\":1}],\"total\":{\"created\":1}}";
        } else if (path.endsWith("/comments")) {
            status = 201;
            body = "{\"id\":1,\"taskId\":7,\"author\":\"w\",\"body\":\"b\",\"system\":false,\"createdAt\":\"2026-12-07T09:00:00Z\"}";
        } else {
            body = TASK;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
