package dev.olympus.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each command against the packaged server: its output (the API's JSON, or tables) and its exit code. */
class CommandsIT {

    /** The --debug line of events tail --follow's first request: the stream starts after the head it answers. */
    private static final Pattern HEAD_READ = Pattern.compile("GET /api/v1/events\\?\\S* -> 200");

    private static OlympusServer server;
    private static Oly admin;

    @BeforeAll
    static void start() {
        server = OlympusServer.shared();
        admin = Oly.admin(server);
    }

    static Oly.Result ok(Oly.Result result) {
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.err()).isEmpty();
        return result;
    }

    static Oly.Result fails(Oly.Result result, int exit, String code) {
        assertThat(result.exit()).as(result.toString()).isEqualTo(exit);
        assertThat(result.err().strip().lines()).hasSize(1);
        assertThat(result.problem().path("code").asText()).isEqualTo(code);
        assertThat(result.out()).isEmpty();
        return result;
    }

    static long createTask(Oly orchestrator, String... args) {
        List<String> all = new ArrayList<>(List.of("tasks", "create"));
        all.addAll(List.of(args));
        return ok(orchestrator.run(all.toArray(String[]::new))).json().path("id").asLong();
    }

    @Test
    void whoamiAndAgents() {
        Oly worker = Oly.newAgent(server, "who", "worker", "--capability", "java", "--wip-limit", "2");
        JsonNode me = ok(worker.run("whoami")).json();
        assertThat(me.path("name").asText()).isEqualTo(worker.name());
        assertThat(me.path("role").asText()).isEqualTo("worker");
        assertThat(me.path("capabilities").toString()).contains("java");

        JsonNode shown = ok(admin.run("agents", "show", worker.name())).json();
        assertThat(shown.path("wipLimit").asInt()).isEqualTo(2);
        JsonNode page = ok(admin.run("agents", "list", "--limit", "200")).json();
        assertThat(page.path("items").findValuesAsText("name")).contains("admin", worker.name());

        Oly.Result table = ok(admin.tty().run("agents", "list", "--limit", "200"));
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("ROLE", "STATE");
        assertThat(table.out()).contains(worker.name());

        fails(worker.run("agents", "create", "nope-" + System.nanoTime() % 1000, "--role", "worker"), 5, "forbidden");
        Oly.Result missing = admin.run("agents", "show", "no-such-agent");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.problem().path("status").asInt()).isEqualTo(404);
    }

    @Test
    void createListShowAndUpdateTasks() throws IOException {
        Oly planner = Oly.newAgent(server, "plan", "orchestrator");
        long fromFlags = createTask(planner, "--title", "Parse the grammar", "--priority", "high", "--label", "java",
                "--label", "parser", "--description", "All of it");
        Path json = Files.writeString(planner.home.resolve("task.json"), "{\"title\":\"From JSON\",\"priority\":\"low\"}");
        long fromJson = createTask(planner, "--file", json.toString());
        Path yaml = Files.writeString(planner.home.resolve("task.yaml"), "title: From YAML\nlabels: [handbook]\ndependsOn: [" + fromJson + "]\n");
        long fromYaml = createTask(planner, "--file", yaml.toString(), "--priority", "critical");

        JsonNode shown = ok(planner.run("tasks", "show", Long.toString(fromYaml))).json();
        assertThat(shown.path("title").asText()).isEqualTo("From YAML");
        assertThat(shown.path("priority").asText()).isEqualTo("critical");
        assertThat(shown.path("dependsOn").get(0).asLong()).isEqualTo(fromJson);
        assertThat(shown.path("ready").asBoolean()).isFalse();

        JsonNode mine = ok(planner.run("tasks", "list", "--created-by", planner.name())).json();
        assertThat(mine.path("items").findValuesAsText("title")).containsExactly("From YAML", "Parse the grammar", "From JSON");
        JsonNode filtered = ok(planner.run("tasks", "list", "--created-by", planner.name(), "--label", "parser",
                "--status", "todo,in_progress", "--ready", "true")).json();
        assertThat(filtered.path("items")).hasSize(1);
        assertThat(filtered.path("items").get(0).path("id").asLong()).isEqualTo(fromFlags);
        JsonNode paged = ok(planner.run("tasks", "list", "--created-by", planner.name(), "--limit", "2")).json();
        assertThat(paged.path("items")).hasSize(2);
        JsonNode next = ok(planner.run("tasks", "list", "--created-by", planner.name(), "--limit", "2", "--cursor",
                paged.path("nextCursor").asText())).json();
        assertThat(next.path("items").findValuesAsText("title")).containsExactly("From JSON");

        Oly.Result table = ok(planner.tty().run("tasks", "list", "--created-by", planner.name()));
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("ID").contains("STATUS", "TITLE");
        assertThat(table.out()).contains("Parse the grammar", "java,parser");
        Oly.Result fields = ok(planner.tty().run("tasks", "show", Long.toString(fromFlags)));
        assertThat(fields.out()).containsPattern("(?m)^title +Parse the grammar$");

        JsonNode updated = ok(planner.run("tasks", "update", Long.toString(fromFlags), "--priority", "low", "--title", "Parse it")).json();
        assertThat(updated.path("priority").asText()).isEqualTo("low");
        fails(planner.run("tasks", "update", Long.toString(fromFlags), "--title", "Again", "--if-match", "1"), 4, "version-conflict");
        JsonNode deps = ok(planner.run("tasks", "deps", Long.toString(fromYaml), "--on", "none")).json();
        assertThat(deps.path("dependsOn")).isEmpty();
        fails(planner.run("tasks", "deps", Long.toString(fromJson), "--on", Long.toString(fromJson)), 4, "dependency-cycle");

        fails(planner.run("tasks", "create", "--title", "Parse it"), 4, "duplicate-task");
        fails(planner.run("tasks", "create", "--title", "x".repeat(201)), 2, "validation-failed");
        Oly.Result missing = planner.run("tasks", "show", "999999");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.problem().path("status").asInt()).isEqualTo(404);
        Oly worker = Oly.newAgent(server, "nocreate", "worker");
        fails(worker.run("tasks", "create", "--title", "Workers cannot"), 5, "forbidden");
    }

    @Test
    void aWorkersDay() {
        Oly planner = Oly.newAgent(server, "boss", "orchestrator");
        String label = "day-" + System.nanoTime() % 1000000;
        Oly worker = Oly.newAgent(server, "day", "worker", "--capability", label);
        long first = createTask(planner, "--title", "First of the day", "--label", label, "--priority", "high");
        long second = createTask(planner, "--title", "Second of the day", "--label", label);

        JsonNode claimed = ok(worker.run("claim", "--label", label)).json();
        assertThat(claimed.path("id").asLong()).isEqualTo(first);
        assertThat(claimed.path("status").asText()).isEqualTo("in_progress");
        JsonNode beat = ok(worker.run("heartbeat", "--task", Long.toString(first), "--status", "working", "--note", "parsing")).json();
        assertThat(beat.path("taskId").asLong()).isEqualTo(first);
        assertThat(beat.has("leaseExpiresAt")).isTrue();
        JsonNode comment = ok(worker.run("comment", Long.toString(first), "half way")).json();
        assertThat(comment.path("body").asText()).isEqualTo("half way");
        ok(worker.runWithInput("from stdin\n", "comment", Long.toString(first)));
        JsonNode comments = ok(worker.run("tasks", "comments", Long.toString(first))).json();
        assertThat(comments.path("items").findValuesAsText("body")).contains("half way", "from stdin\n");

        JsonNode done = ok(worker.runWithInput("The parser, merged\n", "done", Long.toString(first), "--result-file", "-")).json();
        assertThat(done.path("status").asText()).isEqualTo("done");
        assertThat(done.path("result").asText()).isEqualTo("The parser, merged\n");
        fails(worker.run("start", Long.toString(first)), 4, "invalid-transition");

        JsonNode second1 = ok(worker.run("claim", "--label", label)).json();
        assertThat(second1.path("id").asLong()).isEqualTo(second);
        Oly.Result blockedWithoutReason = worker.run("block", Long.toString(second));
        fails(blockedWithoutReason, 2, "block-reason-required");
        JsonNode blocked = ok(worker.run("block", Long.toString(second), "--reason", "Need the grammar spec")).json();
        assertThat(blocked.path("status").asText()).isEqualTo("blocked");
        ok(worker.run("start", Long.toString(second)));
        JsonNode review = ok(worker.run("review", Long.toString(second), "--result", "ready for a look")).json();
        assertThat(review.path("status").asText()).isEqualTo("in_review");
        JsonNode failed = ok(worker.run("fail", Long.toString(second), "--reason", "the spec was wrong")).json();
        assertThat(failed.path("status").asText()).isEqualTo("failed");

        JsonNode retry = ok(planner.run("retry", Long.toString(second))).json();
        assertThat(retry.path("retryOf").asLong()).isEqualTo(second);
        assertThat(retry.path("attempt").asInt()).isEqualTo(2);
        fails(planner.run("retry", Long.toString(second)), 4, "already-retried");

        JsonNode third = ok(worker.run("claim", "--label", label)).json();
        assertThat(third.path("id").asLong()).isEqualTo(retry.path("id").asLong());
        JsonNode released = ok(worker.run("release", Long.toString(third.path("id").asLong()), "--reason", "no time")).json();
        assertThat(released.path("status").asText()).isEqualTo("todo");
        ok(planner.run("tasks", "update", Long.toString(third.path("id").asLong()), "--assignee", planner.name()));

        Oly.Result nothing = worker.run("claim", "--label", label);
        assertThat(nothing.exit()).as(nothing.toString()).isEqualTo(3);
        assertThat(nothing.out()).isEmpty();
        assertThat(nothing.err()).isEmpty();
        ok(worker.run("heartbeat", "--status", "idle"));

        JsonNode history = ok(worker.run("tasks", "history", Long.toString(first))).json();
        assertThat(history.path("items").findValuesAsText("type")).contains("task.created", "task.status_changed");
    }

    @Test
    void eventsTailFromACursorAndFollowing() throws Exception {
        Oly planner = Oly.newAgent(server, "evt", "orchestrator");
        long head = ok(planner.run("events", "tail", "--after", "0", "--count", "1")).json().path("id").asLong();
        assertThat(head).isPositive();
        long task = createTask(planner, "--title", "Watched " + System.nanoTime());
        Oly.Result tail = ok(planner.run("events", "tail", "--after", "0", "--type", "task.created"));
        List<JsonNode> events = tail.out().lines().map(line -> {
            try {
                return Oly.JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError(line, e);
            }
        }).toList();
        assertThat(events).allMatch(e -> e.path("type").asText().equals("task.created"));
        assertThat(events).anyMatch(e -> e.path("taskId").asLong() == task);
        assertThat(events.stream().map(e -> e.path("id").asLong()).toList()).isSorted();

        // --follow: live events over the WebSocket, after the head it reads first (--debug logs that request)
        Oly.Background follow = planner.background("--debug", "events", "tail", "--follow", "--type", "task.commented", "--count", "2");
        await().atMost(Duration.ofSeconds(30)).until(() -> HEAD_READ.matcher(follow.err()).find());
        ok(planner.run("comment", Long.toString(task), "one"));
        ok(planner.run("comment", Long.toString(task), "two"));
        Oly.Result followed = follow.finish(Duration.ofSeconds(60));
        assertThat(followed.exit()).as(followed.toString()).isZero();
        String out = followed.out();
        assertThat(out.lines().toList()).hasSize(2).allMatch(line -> line.contains("\"task.commented\""));
        assertThat(out).contains("\"body\":\"one\"").contains("\"body\":\"two\"");
    }

    @Test
    void freezeKillAndVelocity() throws Exception {
        Oly worker = Oly.newAgent(server, "frz", "worker");
        Oly planner = Oly.newAgent(server, "frzboss", "orchestrator");
        long task = createTask(planner, "--title", "Frozen work " + System.nanoTime(), "--assignee", worker.name());

        JsonNode frozen = ok(admin.run("freeze", "--reason", "release in progress")).json();
        assertThat(frozen.path("frozen").asBoolean()).isTrue();
        try {
            assertThat(ok(worker.run("system")).json().path("reason").asText()).isEqualTo("release in progress");
            Oly.Result refused = worker.run("--max-wait", "0", "start", Long.toString(task));
            fails(refused, 6, "system-frozen");
            ok(worker.run("heartbeat"));
            // within --max-wait, a frozen write is tried again every 5 s and goes through once the freeze ends
            Oly.Background waiting = worker.background("--debug", "--max-wait", "40", "start", Long.toString(task));
            await().atMost(Duration.ofSeconds(30)).until(() -> waiting.err().contains("before trying again (423)"));
            assertThat(waiting.isAlive()).isTrue();
            assertThat(ok(admin.run("unfreeze")).json().path("frozen").asBoolean()).isFalse();
            Oly.Result started = waiting.finish(Duration.ofSeconds(60));
            assertThat(started.exit()).as(started.toString()).isZero();
            assertThat(started.json().path("status").asText()).isEqualTo("in_progress");
            String patch = "PATCH /api/v1/tasks/" + task;
            assertThat(started.err()).containsPattern(patch + " -> 423(?s).*" + patch + " -> 200");
        } finally {
            assertThat(ok(admin.run("unfreeze")).json().path("frozen").asBoolean()).isFalse();
        }

        JsonNode killed = ok(admin.run("agents", "kill", worker.name(), "--reason", "runaway")).json();
        assertThat(killed.path("state").asText()).isEqualTo("killed");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                fails(worker.run("whoami"), 5, "agent-killed"));
        JsonNode revived = ok(admin.run("agents", "revive", worker.name())).json();
        assertThat(revived.path("state").asText()).isNotEqualTo("killed");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> ok(worker.run("whoami")));

        JsonNode velocity = ok(admin.run("velocity", "--bucket", "day")).json();
        assertThat(velocity.path("total").has("created")).isTrue();
        assertThat(velocity.path("bucket").asText()).isEqualTo("day");
        Oly.Result table = ok(admin.tty().run("velocity"));
        assertThat(table.out()).contains("created", "failureRate");
        fails(admin.run("velocity", "--bucket", "week"), 2, "validation-failed");
    }
}
