package dev.olympus.agent;

import dev.olympus.auth.KilledAgents;
import dev.olympus.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.olympus.testing.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.*;

@QuarkusTest
class KillSwitchTest {

    @Inject
    Pool pool;

    @Inject
    KilledAgents killedAgents;

    @Test
    void killBlocksTheAgentAndReleasesItsInProgressTasksInOneGo() {
        var main = Api.agent("orchestrator");
        var worker = Api.agent("worker");
        long working = Api.task(main, "working", worker.name());
        long alsoWorking = Api.task(main, "also working", worker.name());
        long waiting = Api.task(main, "waiting", worker.name());
        for (long id : new long[]{working, alsoWorking}) {
            worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + id).then().statusCode(200);
        }

        admin().body(Map.of("reason", "looping on the same file")).post("/api/v1/agents/" + worker.name() + "/kill")
                .then().statusCode(200)
                .body("name", is(worker.name()))
                .body("state", is("killed"))
                .body("stateReason", is("looping on the same file"))
                .body("inProgressTasks", is(0));

        worker.request().get("/api/v1/tasks").then().statusCode(403).contentType("application/problem+json")
                .body("code", is("agent-killed"));
        worker.request().body(Map.of("status", "done")).patch("/api/v1/tasks/" + working).then().statusCode(403)
                .body("code", is("agent-killed"));

        for (long id : new long[]{working, alsoWorking}) {
            admin().get("/api/v1/tasks/" + id).then().statusCode(200)
                    .body("status", is("todo")).body("assignee", nullValue()).body("commentCount", is(1));
            admin().get("/api/v1/tasks/" + id + "/comments").then().statusCode(200)
                    .body("items", hasSize(1))
                    .body("items[0].system", is(true))
                    .body("items[0].body", containsString("looping on the same file"));
            admin().get("/api/v1/tasks/" + id + "/history").then().statusCode(200)
                    .body("items.type", hasItems("task.status_changed", "task.assigned", "task.commented"))
                    .body("items.findAll { it.type == 'task.status_changed' }.last().data.to", is("todo"))
                    .body("items.findAll { it.type == 'task.assigned' }.last().data.from", is(worker.name()));
        }
        // A task that was not being worked on stays with its assignee.
        admin().get("/api/v1/tasks/" + waiting).then().body("status", is("todo")).body("assignee", is(worker.name()));

        List<Row> events = agentEvents(worker.name());
        assertThat(events).extracting(r -> r.getString("type")).containsExactly("agent.created", "agent.killed");
        assertThat(events.get(1).getString("actor")).isEqualTo("admin");
        assertThat(events.get(1).getJsonObject("data").getString("reason")).isEqualTo("looping on the same file");
        assertThat(events.get(1).getJsonObject("data").getJsonArray("releasedTasks").stream()
                .map(id -> ((Number) id).longValue()).toList())
                .containsExactlyInAnyOrder(working, alsoWorking);
        assertThat(killedAgents.count(worker.name())).isEqualTo(1);
    }

    @Test
    void aKilledAgentGetsNoNewWorkButKeepsWhatWasWaitingForIt() {
        var main = Api.agent("orchestrator");
        var worker = Api.agent("worker");
        var other = Api.agent("worker");
        long waiting = Api.task(main, "waiting for the worker", worker.name());
        long elsewhere = Api.task(main, "assigned elsewhere", other.name());
        long failed = Api.task(main, "failed once", other.name());
        other.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + failed).then().statusCode(200);
        other.request().body(Map.of("status", "failed", "comment", "broke")).patch("/api/v1/tasks/" + failed)
                .then().statusCode(200);
        admin().body(Map.of("reason", "looping")).post("/api/v1/agents/" + worker.name() + "/kill").then().statusCode(200);

        main.request().body(Map.of("title", "new work for a killed agent", "assignee", worker.name()))
                .post("/api/v1/tasks").then().statusCode(400).contentType("application/problem+json")
                .body("code", is("validation-failed"))
                .body("errors[0].field", is("assignee"))
                .body("errors[0].message", containsString("killed"));
        main.request().body(Map.of("assignee", worker.name())).patch("/api/v1/tasks/" + elsewhere)
                .then().statusCode(400).body("errors[0].field", is("assignee"));
        main.request().body(Map.of("assignee", worker.name())).post("/api/v1/tasks/" + failed + "/retry")
                .then().statusCode(400).body("errors[0].field", is("assignee"));
        admin().get("/api/v1/tasks/" + elsewhere).then().body("assignee", is(other.name()));

        // What was already waiting stays, and can still be edited or handed to someone else.
        main.request().body(Map.of("assignee", worker.name(), "priority", "high")).patch("/api/v1/tasks/" + waiting)
                .then().statusCode(200).body("assignee", is(worker.name())).body("priority", is("high"));
        main.request().body(Map.of("assignee", other.name())).patch("/api/v1/tasks/" + waiting)
                .then().statusCode(200).body("assignee", is(other.name()));

        // Revived, it can be given work again.
        admin().post("/api/v1/agents/" + worker.name() + "/revive").then().statusCode(200);
        main.request().body(Map.of("assignee", worker.name())).patch("/api/v1/tasks/" + elsewhere)
                .then().statusCode(200).body("assignee", is(worker.name()));
    }

    @Test
    void killingTwiceChangesNothingTheSecondTime() {
        var worker = Api.agent("worker");
        admin().body(Map.of("reason", "first")).post("/api/v1/agents/" + worker.name() + "/kill").then().statusCode(200);
        admin().body(Map.of("reason", "second")).post("/api/v1/agents/" + worker.name() + "/kill").then().statusCode(200)
                .body("state", is("killed")).body("stateReason", is("first"));
        assertThat(agentEvents(worker.name())).extracting(r -> r.getString("type"))
                .containsExactly("agent.created", "agent.killed");
        assertThat(killedAgents.count(worker.name())).isEqualTo(1);
    }

    @Test
    void reviveRestoresTheKeysAndIsRecorded() {
        var worker = Api.agent("worker");
        admin().body(Map.of("reason", "test")).post("/api/v1/agents/" + worker.name() + "/kill").then().statusCode(200);
        worker.request().get("/api/v1/tasks").then().statusCode(403);

        admin().post("/api/v1/agents/" + worker.name() + "/revive").then().statusCode(200)
                .body("state", is("active")).body("stateReason", nullValue());
        worker.request().get("/api/v1/tasks").then().statusCode(200);
        // Reviving a live agent changes nothing.
        admin().post("/api/v1/agents/" + worker.name() + "/revive").then().statusCode(200).body("state", is("active"));
        assertThat(agentEvents(worker.name())).extracting(r -> r.getString("type"))
                .containsExactly("agent.created", "agent.killed", "agent.revived");
    }

    @Test
    void onlyOperatorsKillAndNeverThemselves() {
        var worker = Api.agent("worker");
        var orchestrator = Api.agent("orchestrator");
        var operator = Api.agent("operator");
        orchestrator.request().body(Map.of("reason", "x")).post("/api/v1/agents/" + worker.name() + "/kill")
                .then().statusCode(403).body("code", is("forbidden"));
        worker.request().post("/api/v1/agents/" + worker.name() + "/revive").then().statusCode(403);
        operator.request().body(Map.of("reason", "x")).post("/api/v1/agents/" + operator.name() + "/kill")
                .then().statusCode(403).body("code", is("forbidden"));
        operator.request().body(Map.of("reason", "x")).post("/api/v1/agents/me/kill").then().statusCode(403);
        admin().body(Map.of("reason", "x")).post("/api/v1/agents/no-such-agent/kill").then().statusCode(404)
                .body("code", is("not-found"));
        admin().body(Map.of()).post("/api/v1/agents/" + worker.name() + "/kill").then().statusCode(400)
                .body("code", is("validation-failed")).body("errors.field", hasItem("reason"));
        admin().body(Map.of("reason", " ")).post("/api/v1/agents/" + worker.name() + "/kill").then().statusCode(400);
        // Another operator may be killed while a live operator remains.
        admin().body(Map.of("reason", "rotating staff")).post("/api/v1/agents/" + operator.name() + "/kill")
                .then().statusCode(200).body("state", is("killed"));
        operator.request().get("/api/v1/agents").then().statusCode(403).body("code", is("agent-killed"));
    }

    private List<Row> agentEvents(String agent) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("SELECT type, actor, data FROM events WHERE agent = $1 ORDER BY id").execute(Tuple.of(agent))
                .await().atMost(Duration.ofSeconds(5)).forEach(rows::add);
        return rows;
    }
}
