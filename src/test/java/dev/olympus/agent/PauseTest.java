package dev.olympus.agent;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.ProblemShape;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** Pause and resume: a paused agent keeps its work but gets none new. */
@QuarkusTest
@ExtendWith(ProblemShape.class)
class PauseTest {

    @Inject
    Pool pool;

    private TestAgent main;

    @BeforeEach
    void orchestrator() {
        main = Api.agent("orchestrator");
    }

    private Response claim(TestAgent worker, String label) {
        return worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim");
    }

    @Test
    void aPausedAgentFinishesWhatItHoldsButStartsNothingNew() {
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("pause");
        long held = Api.task(main, Map.of("labels", List.of(label)));
        claim(worker, label).then().statusCode(200).body("id", is((int) held));
        long waiting = Api.task(main, Map.of("labels", List.of(label)));

        main.request().body(Map.of("reason", "reviewing its last changes")).post("/api/v1/agents/" + worker.name() + "/pause")
                .then().statusCode(200).body("name", is(worker.name())).body("state", is("paused"))
                .body("stateReason", is("reviewing its last changes"));

        claim(worker, label).then().statusCode(204);
        long assigned = Api.task(main, Map.of("assignee", worker.name()));
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + assigned)
                .then().statusCode(409).body("code", is("agent-paused"));
        Api.admin().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + assigned)
                .then().statusCode(409).body("code", is("agent-paused"));

        worker.request().body(Map.of("taskId", held)).post("/api/v1/agents/me/heartbeat").then().statusCode(200);
        worker.request().body(Map.of("body", "still on it")).post("/api/v1/tasks/" + held + "/comments").then().statusCode(201);
        worker.request().body(Map.of("status", "done", "result", "finished")).patch("/api/v1/tasks/" + held)
                .then().statusCode(200).body("status", is("done"));
        Api.admin().get("/api/v1/agents/" + worker.name()).then().body("state", is("paused"));

        main.request().post("/api/v1/agents/" + worker.name() + "/resume").then().statusCode(200)
                .body("state", is("active")).body("stateReason", is((Object) null));
        claim(worker, label).then().statusCode(200).body("id", is((int) waiting));
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + assigned).then().statusCode(200);

        assertThat(agentEvents(worker.name())).extracting(r -> r.getString("type"))
                .containsExactly("agent.created", "agent.paused", "agent.resumed");
        assertThat(agentEvents(worker.name()).get(1).getJsonObject("data").getString("reason")).isEqualTo("reviewing its last changes");
        assertThat(agentEvents(worker.name()).get(1).getString("actor")).isEqualTo(main.name());
    }

    @Test
    void pauseAndResumeAreIdempotentAndAKillOverridesAPause() {
        TestAgent worker = Api.agent("worker");
        String path = "/api/v1/agents/" + worker.name();
        Api.admin().post(path + "/resume").then().statusCode(200).body("state", is("active"));
        Api.admin().body(Map.of("reason", "first")).post(path + "/pause").then().statusCode(200).body("state", is("paused"));
        Api.admin().body(Map.of("reason", "second")).post(path + "/pause").then().statusCode(200).body("stateReason", is("first"));
        Api.admin().body(Map.of("reason", "stop it")).post(path + "/kill").then().statusCode(200).body("state", is("killed"));
        Api.admin().body(Map.of("reason", "again")).post(path + "/pause").then().statusCode(200).body("state", is("killed"));
        Api.admin().post(path + "/resume").then().statusCode(200).body("state", is("killed"));
        Api.admin().post(path + "/revive").then().statusCode(200).body("state", is("active"));
        assertThat(agentEvents(worker.name())).extracting(r -> r.getString("type"))
                .containsExactly("agent.created", "agent.paused", "agent.killed", "agent.revived");
    }

    @Test
    void onlyOperatorsAndOrchestratorsPauseAndAReasonIsRequired() {
        TestAgent worker = Api.agent("worker");
        String path = "/api/v1/agents/" + worker.name();
        worker.request().body(Map.of("reason", "tired")).post(path + "/pause").then().statusCode(403).body("code", is("forbidden"));
        Api.agent("observer").request().body(Map.of("reason", "x")).post(path + "/pause").then().statusCode(403);
        worker.request().post(path + "/resume").then().statusCode(403);
        main.request().body(Map.of("reason", "  ")).post(path + "/pause").then().statusCode(400).body("code", is("validation-failed"));
        main.request().body(Map.of()).post(path + "/pause").then().statusCode(400);
        main.request().body(Map.of("reason", "x")).post("/api/v1/agents/" + Api.uniqueName("nobody") + "/pause").then().statusCode(404);
        Api.admin().get(path).then().body("state", is("active"));
    }

    private List<Row> agentEvents(String agent) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("SELECT type, actor, data FROM events WHERE agent = $1 ORDER BY id").execute(Tuple.of(agent))
                .await().atMost(Duration.ofSeconds(10)).forEach(rows::add);
        return rows;
    }
}
