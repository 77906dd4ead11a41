package dev.olympus.usage;

import dev.olympus.scheduler.MaintenanceJob;
import dev.olympus.task.Leases;
import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.usage.UsageTest.Held;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.olympus.usage.Money.at;
import static dev.olympus.usage.Money.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** Agent budgets: who sets them, the 80% warning, the 100% stop, and what resumes a stopped agent. */
@QuarkusTest
class BudgetTest {

    private static final String HEARTBEAT = "/api/v1/agents/me/heartbeat";

    @Inject
    Pool pool;

    @Inject
    MaintenanceJob maintenance;

    private static String budget(String agent) {
        return "/api/v1/agents/" + agent + "/budget";
    }

    private static void report(TestAgent worker, Long taskId, String cost, int status) {
        String task = taskId == null ? "" : "\"taskId\": " + taskId + ", ";
        worker.request().body("{" + task + "\"usage\": {\"costUsd\": " + cost + ", \"inputTokens\": 10}}").post(HEARTBEAT)
                .then().statusCode(status);
    }

    private List<String> events(String agent, String type) {
        List<String> found = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT data::text AS data FROM events WHERE agent = $1 AND type = $2 ORDER BY id")
                .execute(Tuple.of(agent, type)).await().atMost(Duration.ofSeconds(10))) {
            found.add(row.getString("data"));
        }
        return found;
    }

    @Test
    void onlyOperatorsSetBudgetsAndBadOnesAreRefusedWithTheField() {
        TestAgent worker = Api.agent("worker");
        TestAgent main = Api.agent("orchestrator");
        main.request().body(Map.of("costUsd", 5, "period", "day")).put(budget(worker.name())).then().statusCode(403);
        main.request().body(Map.of("costUsd", 5, "period", "day")).put("/api/v1/system/budget").then().statusCode(403);
        main.request().delete("/api/v1/system/budget").then().statusCode(403);
        Map.of("{\"costUsd\": 0, \"period\": \"day\"}", "costUsd",
                "{\"costUsd\": -3, \"period\": \"day\"}", "costUsd",
                "{\"costUsd\": 1.0000001, \"period\": \"day\"}", "costUsd",
                "{\"costUsd\": \"5\", \"period\": \"day\"}", "costUsd",
                "{\"period\": \"day\"}", "costUsd",
                "{\"costUsd\": 5, \"period\": \"week\"}", "period",
                "{\"costUsd\": 5, \"period\": \"day\", \"currency\": \"EUR\"}", "currency")
                .forEach((body, field) -> Api.admin().body(body).put(budget(worker.name()))
                        .then().statusCode(400).body("code", is("validation-failed")).body("errors.field", hasItem(field)));
        Api.admin().body("{\"costUsd\": 5, \"period\": \"day\"}").put(budget("no-such-agent")).then().statusCode(404);
        Api.admin().get(budget(worker.name())).then().statusCode(404);

        Response set = Api.admin().body("{\"costUsd\": 25.125, \"period\": \"month\"}").put(budget(worker.name()));
        set.then().statusCode(200).body("agent", is(worker.name())).body("period", is("month"))
                .body("warned", is(false)).body("exhausted", is(false));
        assertThat(at(set, "costUsd")).isEqualByComparingTo(usd("25.125"));
        assertThat(at(set, "spentUsd")).isEqualByComparingTo(usd("0"));
        worker.request().get(budget(worker.name())).then().statusCode(200).body("period", is("month"));
        Response agent = worker.request().get("/api/v1/agents/" + worker.name());
        agent.then().body("budget.period", is("month")).body("periodUsage.period", is("month"));
        assertThat(at(agent, "budget.costUsd")).isEqualByComparingTo(usd("25.125"));

        Api.admin().delete(budget(worker.name())).then().statusCode(204);
        Api.admin().delete(budget(worker.name())).then().statusCode(404);
        worker.request().get("/api/v1/agents/" + worker.name()).then().body("budget", nullValue());
    }

    @Test
    void eightyPercentWarnsOnceAndAHundredPausesTheAgentAndReleasesItsTasks() {
        Held held = UsageTest.held();
        TestAgent worker = held.worker();
        Api.admin().body("{\"costUsd\": 1, \"period\": \"day\"}").put(budget(worker.name())).then().statusCode(200);

        report(worker, held.taskId(), "0.5", 200);
        assertThat(events(worker.name(), "budget.warning")).isEmpty();
        report(worker, held.taskId(), "0.3", 200);
        assertThat(events(worker.name(), "budget.warning")).hasSize(1);
        report(worker, held.taskId(), "0.1", 200);
        assertThat(events(worker.name(), "budget.warning")).hasSize(1);
        worker.request().get("/api/v1/agents/" + worker.name()).then().body("state", is("active"));

        // 1.1: over the budget by part of this one report. It is recorded, the stop releases the task, and the
        // heartbeat that carried it hears at once that its task is gone.
        report(worker, held.taskId(), "0.2", 409);
        assertThat(events(worker.name(), "budget.exhausted")).hasSize(1);
        assertThat(events(worker.name(), "agent.paused")).singleElement().asString()
                .contains("budget-exhausted");
        Response agent = Api.admin().get("/api/v1/agents/" + worker.name());
        agent.then().body("state", is("paused")).body("stateReason", is("budget-exhausted")).body("budget.exhausted", is(true));
        assertThat(at(agent, "budget.spentUsd")).isEqualByComparingTo(usd("1.1"));
        Api.admin().get("/api/v1/tasks/" + held.taskId()).then()
                .body("status", is("todo")).body("assignee", is(worker.name())).body("leaseExpiresAt", nullValue());

        // Paused: no new work, the released task's old lease is gone; heartbeats and comments still work.
        worker.request().body(Map.of()).post("/api/v1/tasks/claim").then().statusCode(204);
        worker.request().header(Leases.HEADER, held.leaseEpoch()).body(Map.of("status", "done", "result", "late"))
                .patch("/api/v1/tasks/" + held.taskId()).then().statusCode(409).body("code", is("lease-lost"));
        worker.request().body(Map.of("taskId", held.taskId())).post(HEARTBEAT)
                .then().statusCode(409).body("code", is("lease-lost"));
        report(worker, held.taskId(), "0.1", 403);
        worker.request().body(Map.of("status", "idle")).post(HEARTBEAT).then().statusCode(200);
        worker.request().body(Map.of("body", "waiting for budget")).post("/api/v1/tasks/" + held.taskId() + "/comments")
                .then().statusCode(201);
        report(worker, null, "0.05", 200); // spend without a task is still recorded; the agent is not paused twice
        assertThat(events(worker.name(), "agent.paused")).hasSize(1);
        assertThat(events(worker.name(), "budget.exhausted")).hasSize(1);

        // A raised budget resumes at once, and the agent gets its task back.
        Api.admin().body("{\"costUsd\": 2, \"period\": \"day\"}").put(budget(worker.name()))
                .then().statusCode(200).body("exhausted", is(false)).body("warned", is(false));
        worker.request().get("/api/v1/agents/" + worker.name()).then().body("state", is("active")).body("stateReason", nullValue());
        assertThat(events(worker.name(), "agent.resumed")).hasSize(1);
        worker.request().body(Map.of("labels", List.of(held.label()))).post("/api/v1/tasks/claim")
                .then().statusCode(200).body("id", is((int) held.taskId()));
    }

    @Test
    void aBudgetSetBelowTheSpendStopsAtOnceAndRemovingItResumes() {
        Held held = UsageTest.held();
        TestAgent worker = held.worker();
        report(worker, held.taskId(), "0.5", 200);
        Response set = Api.admin().body("{\"costUsd\": 0.4, \"period\": \"month\"}").put(budget(worker.name()));
        set.then().statusCode(200).body("exhausted", is(true)).body("warned", is(true));
        assertThat(at(set, "spentUsd")).isEqualByComparingTo(usd("0.5"));
        worker.request().get("/api/v1/agents/" + worker.name()).then().body("state", is("paused"));
        Api.admin().get("/api/v1/tasks/" + held.taskId()).then().body("status", is("todo"));

        Api.admin().delete(budget(worker.name())).then().statusCode(204);
        worker.request().get("/api/v1/agents/" + worker.name()).then().body("state", is("active"));
    }

    @Test
    void aNewPeriodResumesAtTheSchedulersNextRun() {
        Held held = UsageTest.held();
        TestAgent worker = held.worker();
        Api.admin().body("{\"costUsd\": 0.25, \"period\": \"day\"}").put(budget(worker.name())).then().statusCode(200);
        report(worker, held.taskId(), "0.25", 409);
        worker.request().get("/api/v1/agents/" + worker.name()).then().body("state", is("paused"));

        // Yesterday's budget: the report and the period both move one day back.
        pool.preparedQuery("""
                        WITH a AS (SELECT id FROM agents WHERE name = $1),
                             r AS (UPDATE usage_reports SET reported_at = reported_at - interval '1 day'
                                   WHERE agent_id = (SELECT id FROM a))
                        UPDATE budgets SET period_start = period_start - interval '1 day' WHERE agent_id = (SELECT id FROM a)
                        """).execute(Tuple.of(worker.name())).await().atMost(Duration.ofSeconds(10));
        maintenance.run().await().atMost(Duration.ofSeconds(30));

        Response agent = worker.request().get("/api/v1/agents/" + worker.name());
        agent.then().body("state", is("active")).body("budget.exhausted", is(false));
        assertThat(at(agent, "budget.spentUsd")).isEqualByComparingTo(usd("0"));
        assertThat(at(agent, "periodUsage.costUsd")).isEqualByComparingTo(usd("0"));
        assertThat(at(agent, "usage.costUsd")).isEqualByComparingTo(usd("0.25"));
        assertThat(events(worker.name(), "agent.resumed")).hasSize(1);
    }
}
