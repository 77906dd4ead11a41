package dev.olympus.usage;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.olympus.usage.Money.at;
import static dev.olympus.usage.Money.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/** Usage reports on heartbeats and task PATCHes: exact totals per task and agent, and every bad input refused. */
@QuarkusTest
class UsageTest {

    private static final String HEARTBEAT = "/api/v1/agents/me/heartbeat";

    /** A worker holding a task of its own (claimed: in_progress). */
    record Held(TestAgent worker, long taskId, long leaseEpoch, String label) {}

    static Held held() {
        TestAgent main = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("usage");
        long id = Api.task(main, Map.of("title", "usage " + label, "assignee", worker.name(), "labels", List.of(label)));
        Response claim = worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim");
        claim.then().statusCode(200).body("id", is((int) id));
        return new Held(worker, id, claim.jsonPath().getLong("leaseEpoch"), label);
    }

    @Test
    void heartbeatsAndPatchesAddUpExactlyOnTheTaskAndTheAgent() {
        Held held = held();
        TestAgent worker = held.worker();
        worker.request().body("""
                        {"taskId": %d, "usage": {"inputTokens": 1200, "outputTokens": 300, "costUsd": 0.1, "model": "m-1"}}"""
                        .formatted(held.taskId()))
                .post(HEARTBEAT).then().statusCode(200);
        worker.request().body("""
                        {"usage": {"costUsd": 0.2, "outputTokens": 5}}""")
                .patch("/api/v1/tasks/" + held.taskId()).then().statusCode(200);
        // Without a task: the agent's only.
        worker.request().body("""
                        {"usage": {"costUsd": 0.000001, "inputTokens": 1}}""")
                .post(HEARTBEAT).then().statusCode(200);

        Response task = worker.request().get("/api/v1/tasks/" + held.taskId());
        task.then().statusCode(200).body("usage.inputTokens", is(1200)).body("usage.outputTokens", is(305));
        // 0.1 + 0.2 is 0.3 here, not 0.30000000000000004.
        assertThat(at(task, "usage.costUsd")).isEqualByComparingTo(usd("0.3"));
        assertThat(task.asString()).contains("\"costUsd\":0.3}");

        Response agent = Api.admin().get("/api/v1/agents/" + worker.name());
        agent.then().statusCode(200).body("usage.inputTokens", is(1201)).body("usage.outputTokens", is(305))
                .body("periodUsage.inputTokens", is(1201)).body("periodUsage.period", is("day"));
        assertThat(at(agent, "usage.costUsd")).isEqualByComparingTo(usd("0.300001"));
        assertThat(at(agent, "periodUsage.costUsd")).isEqualByComparingTo(usd("0.300001"));
        assertThat(agent.asString()).contains("\"budget\":null");

        RestAssured.get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.allOf(
                org.hamcrest.Matchers.containsString("olympus_usage_tokens_total{agent=\"" + worker.name() + "\",kind=\"input\"} 1201.0"),
                org.hamcrest.Matchers.containsString("olympus_usage_cost_usd_total{agent=\"" + worker.name() + "\"} 0.300001")));
    }

    @Test
    void aNewTaskHasZeroUsage() {
        TestAgent main = Api.agent("orchestrator");
        long id = Api.task(main, "no usage yet", null);
        Response task = main.request().get("/api/v1/tasks/" + id);
        task.then().body("usage.inputTokens", is(0)).body("usage.outputTokens", is(0));
        assertThat(at(task, "usage.costUsd")).isEqualByComparingTo(usd("0"));
    }

    @Test
    void badUsageIsRefusedWithTheFieldAndNothingIsRecorded() {
        Held held = held();
        TestAgent worker = held.worker();
        Map<String, String> bad = Map.of(
                "{\"costUsd\": -0.01}", "usage.costUsd",
                "{\"inputTokens\": -1}", "usage.inputTokens",
                "{\"costUsd\": \"1.5\"}", "usage.costUsd",
                "{\"costUsd\": \"NaN\"}", "usage.costUsd",
                "{\"costUsd\": 0.0000001}", "usage.costUsd",
                "{\"costUsd\": 100.000001}", "usage.costUsd",
                "{\"outputTokens\": 10000001}", "usage.outputTokens",
                "{\"outputTokens\": 1.5}", "usage.outputTokens",
                "{\"tokens\": 3}", "usage.tokens",
                "{\"model\": 7}", "usage.model");
        bad.forEach((usage, field) -> {
            worker.request().body("{\"taskId\": " + held.taskId() + ", \"usage\": " + usage + "}").post(HEARTBEAT)
                    .then().statusCode(400).body("code", is("validation-failed")).body("errors.field", hasItem(field));
            worker.request().body("{\"usage\": " + usage + "}").patch("/api/v1/tasks/" + held.taskId())
                    .then().statusCode(400).body("errors.field", hasItem(field));
        });
        worker.request().body("{\"usage\": [1]}").post(HEARTBEAT).then().statusCode(400).body("errors.field", hasItem("usage"));
        // NaN and Infinity are not JSON numbers: malformed JSON.
        worker.request().body("{\"usage\": {\"costUsd\": NaN}}").post(HEARTBEAT).then().statusCode(400);
        worker.request().body("{\"usage\": {\"costUsd\": Infinity}}").patch("/api/v1/tasks/" + held.taskId())
                .then().statusCode(400);
        // At the ceilings exactly: accepted.
        worker.request().body("{\"usage\": {\"costUsd\": 100, \"inputTokens\": 10000000}}").post(HEARTBEAT).then().statusCode(200);

        Response agent = Api.admin().get("/api/v1/agents/" + worker.name());
        assertThat(at(agent, "usage.costUsd")).isEqualByComparingTo(usd("100"));
        agent.then().body("usage.inputTokens", is(10000000));
        assertThat(at(worker.request().get("/api/v1/tasks/" + held.taskId()), "usage.costUsd")).isEqualByComparingTo(usd("0"));
    }

    @Test
    void usageOnATaskTheCallerDoesNotHoldIsForbidden() {
        Held held = held();
        TestAgent other = Api.agent("worker");
        String usage = "{\"costUsd\": 0.5}";
        other.request().body("{\"taskId\": " + held.taskId() + ", \"usage\": " + usage + "}").post(HEARTBEAT)
                .then().statusCode(403).body("code", is("forbidden"));
        // An orchestrator may patch any task, but usage goes on tasks one holds.
        TestAgent main = Api.agent("orchestrator");
        main.request().body("{\"usage\": " + usage + "}").patch("/api/v1/tasks/" + held.taskId()).then().statusCode(403);
        // A task assigned but not started is not held either.
        long todo = Api.task(main, "not started", held.worker().name());
        held.worker().request().body("{\"usage\": " + usage + "}").patch("/api/v1/tasks/" + todo).then().statusCode(403);
        held.worker().request().body("{\"taskId\": 999999999, \"usage\": " + usage + "}").post(HEARTBEAT).then().statusCode(404);

        assertThat(at(Api.admin().get("/api/v1/tasks/" + held.taskId()), "usage.costUsd")).isEqualByComparingTo(usd("0"));
        assertThat(at(Api.admin().get("/api/v1/agents/" + other.name()), "usage.costUsd")).isEqualByComparingTo(usd("0"));
    }
}
