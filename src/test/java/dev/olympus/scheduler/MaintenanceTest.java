package dev.olympus.scheduler;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.TimeTravel;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * The scheduler's rules, one maintenance run at a time. Instead of waiting for real time to pass, each test moves
 * its own rows back in time (PostgreSQL's now() is the scheduler's clock) and runs the maintenance directly. The
 * ticks are off in the test profile ({@code %test.olympus.scheduler.enabled=false}), so each run's effect is
 * checked right after it; {@code SchedulerIT} covers the real ticks and the leader election.
 */
@QuarkusTest
class MaintenanceTest {

    @Inject
    Pool pool;

    @Inject
    MaintenanceJob maintenance;

    private void run() {
        maintenance.run().await().atMost(Duration.ofSeconds(30));
    }

    private List<String> agentEvents(String agent) {
        List<String> types = new ArrayList<>();
        pool.preparedQuery("SELECT type FROM events WHERE agent = $1 ORDER BY id").execute(Tuple.of(agent))
                .await().atMost(Duration.ofSeconds(10)).forEach(row -> types.add(row.getString("type")));
        return types;
    }

    private static List<String> types(TestAgent reader, long id) {
        return reader.request().get("/api/v1/tasks/" + id + "/history?limit=200").jsonPath().getList("items.type", String.class);
    }

    @Test
    void aMissedHeartbeatMakesTheAgentUnresponsiveOncePerMissUntilItsNextHeartbeat() {
        TestAgent worker = Api.agent("worker", Map.of("heartbeatIntervalSeconds", 60));
        run();
        assertThat(agentEvents(worker.name())).containsExactly("agent.created"); // within its grace after creation

        TimeTravel.backdate(pool, "agents", "created_at", Duration.ofMinutes(2), "name = $1", worker.name());
        run();
        Api.admin().get("/api/v1/agents/" + worker.name()).then().body("state", is("unresponsive"));
        run();
        assertThat(agentEvents(worker.name())).containsExactly("agent.created", "agent.heartbeat_missed");

        worker.request().body(Map.of()).post("/api/v1/agents/me/heartbeat").then().statusCode(200);
        Api.admin().get("/api/v1/agents/" + worker.name()).then().body("state", is("active")).body("stateReason", nullValue());
        worker.request().body(Map.of()).post("/api/v1/agents/me/heartbeat").then().statusCode(200);
        run();
        assertThat(agentEvents(worker.name())).containsExactly("agent.created", "agent.heartbeat_missed", "agent.recovered");

        // The next miss is a new miss.
        TimeTravel.backdate(pool, "agent_heartbeats", "last_at", Duration.ofMinutes(2),
                "agent_id = (SELECT id FROM agents WHERE name = $1)", worker.name());
        run();
        assertThat(agentEvents(worker.name()))
                .containsExactly("agent.created", "agent.heartbeat_missed", "agent.recovered", "agent.heartbeat_missed");
    }

    @Test
    void anExpiredLeaseIsFlaggedThenClearedByTheHoldersHeartbeat() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("sched");
        long id = Api.task(orchestrator, Map.of("labels", List.of(label)));
        worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim").then().statusCode(200);

        TimeTravel.backdate(pool, "tasks", "lease_expires_at", Duration.ofSeconds(1), "id = $1", id);
        run();
        run();
        orchestrator.request().get("/api/v1/tasks/" + id).then()
                .body("status", is("in_progress")).body("needsAttention", is(true)).body("attentionReason", is("lease-expired"));
        assertThat(types(orchestrator, id)).endsWith("task.assigned", "task.attention");
        orchestrator.request().get("/api/v1/tasks?needsAttention=true&label=" + label).then().body("items.id", hasItem((int) id));

        worker.request().body(Map.of("taskId", id)).post("/api/v1/agents/me/heartbeat").then().statusCode(200);
        run();
        orchestrator.request().get("/api/v1/tasks/" + id).then()
                .body("needsAttention", is(false)).body("attentionReason", nullValue());
        assertThat(types(orchestrator, id)).endsWith("task.attention", "task.updated");
    }

    @Test
    void aRequeuedTasksStaleHolderGetsLeaseLostAndTheNewHoldersWorkStands() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        TestAgent other = Api.agent("worker");
        String label = Api.uniqueName("sched");
        long id = Api.task(orchestrator, Map.of("labels", List.of(label)));
        long oldEpoch = worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim")
                .then().statusCode(200).extract().jsonPath().getLong("leaseEpoch");

        // The holder went silent: its lease expired more than requeue-after (10 min) ago.
        TimeTravel.backdate(pool, "tasks", "lease_expires_at", Duration.ofMinutes(11), "id = $1", id);
        run();
        orchestrator.request().get("/api/v1/tasks/" + id).then()
                .body("status", is("todo")).body("assignee", nullValue()).body("needsAttention", is(false))
                .body("leaseExpiresAt", nullValue()).body("leaseEpoch", is((int) oldEpoch + 1));
        assertThat(types(orchestrator, id)).endsWith("task.status_changed", "task.assigned", "task.commented");
        orchestrator.request().get("/api/v1/tasks/" + id + "/comments").then()
                .body("items.author", hasItem("system")).body("items.system", hasItem(true));
        // No longer its task at all: forbidden, like any task of someone else's.
        worker.request().header("Olympus-Lease-Epoch", oldEpoch).body(Map.of("status", "done"))
                .patch("/api/v1/tasks/" + id).then().statusCode(403);

        // Claimed again by the same agent (a restarted worker process): the old process is fenced out.
        long newEpoch = worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim")
                .then().statusCode(200).body("id", is((int) id)).extract().jsonPath().getLong("leaseEpoch");
        assertThat(newEpoch).isEqualTo(oldEpoch + 2);
        worker.request().header("Olympus-Lease-Epoch", newEpoch).body(Map.of("result", "the new holder's work"))
                .patch("/api/v1/tasks/" + id).then().statusCode(200);
        Response stale = worker.request().header("Olympus-Lease-Epoch", oldEpoch)
                .body(Map.of("status", "done", "result", "the stale holder's work")).patch("/api/v1/tasks/" + id);
        stale.then().statusCode(409).body("code", is("lease-lost")).body("currentLeaseEpoch", is((int) newEpoch));
        orchestrator.request().get("/api/v1/tasks/" + id).then()
                .body("status", is("in_progress")).body("result", is("the new holder's work"));
        // And another worker can take a requeued task too.
        other.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim").then().statusCode(204);
    }

    @Test
    void aLongBlockageIsFlaggedOnceAndClearedWhenItsCauseIsGone() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, Map.of("assignee", worker.name()));
        worker.request().body(Map.of("status", "blocked", "comment", "waiting for credentials")).patch("/api/v1/tasks/" + id)
                .then().statusCode(200);
        run();
        orchestrator.request().get("/api/v1/tasks/" + id).then().body("needsAttention", is(false));

        TimeTravel.backdate(pool, "tasks", "blocked_at", Duration.ofHours(5), "id = $1", id);
        run();
        run();
        orchestrator.request().get("/api/v1/tasks/" + id).then()
                .body("status", is("blocked")).body("needsAttention", is(true)).body("attentionReason", is("stale-blocked"));
        assertThat(types(orchestrator, id).stream().filter("task.attention"::equals)).hasSize(1);

        TimeTravel.backdate(pool, "tasks", "blocked_at", Duration.ZERO, "id = $1", id);
        run();
        orchestrator.request().get("/api/v1/tasks/" + id).then().body("needsAttention", is(false));

        TimeTravel.backdate(pool, "tasks", "blocked_at", Duration.ofHours(5), "id = $1", id);
        run();
        orchestrator.request().get("/api/v1/tasks/" + id).then().body("needsAttention", is(true));
        // Any status change ends the blockage, and with it the attention.
        worker.request().body(Map.of("status", "todo")).patch("/api/v1/tasks/" + id).then().statusCode(200)
                .body("needsAttention", is(false));
    }

    /** The canceled holdings of {@code agent} (V10): task ids, oldest first. */
    private List<Long> canceledHoldings(String agent) {
        List<Long> ids = new ArrayList<>();
        pool.preparedQuery("SELECT task_id FROM canceled_holdings WHERE agent = $1 ORDER BY canceled_at, task_id")
                .execute(Tuple.of(agent)).await().atMost(Duration.ofSeconds(10)).forEach(row -> ids.add(row.getLong("task_id")));
        return ids;
    }

    private static long startedAndCanceled(TestAgent orchestrator, TestAgent worker, String title) {
        long id = Api.task(orchestrator, Map.of("title", title, "assignee", worker.name()));
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + id).then().statusCode(200);
        orchestrator.request().body(Map.of("reason", "not needed")).post("/api/v1/tasks/" + id + "/cancel").then().statusCode(200);
        return id;
    }

    @Test
    void canceledHoldingsAreForgottenOnceTheyTellTheFormerHolderNothingOrPastTheirRetention() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long reopened = startedAndCanceled(orchestrator, worker, "canceled then reopened");
        long stillCanceled = startedAndCanceled(orchestrator, worker, "canceled for good");
        TestAgent silent = Api.agent("worker");
        long unreported = startedAndCanceled(orchestrator, silent, "canceled, holder silent");
        run();
        assertThat(canceledHoldings(worker.name())).containsExactlyInAnyOrder(reopened, stillCanceled);

        // Reported by a heartbeat: kept while the task is still canceled (the former holder's writes get task-canceled),
        // forgotten once it was reopened.
        worker.request().body(Map.of()).post("/api/v1/agents/me/heartbeat").then().statusCode(200)
                .body("canceledTaskIds.size()", is(2));
        orchestrator.request().body(Map.of("status", "todo")).patch("/api/v1/tasks/" + reopened).then().statusCode(200);
        run();
        assertThat(canceledHoldings(worker.name())).containsExactly(stillCanceled);
        worker.request().body(Map.of("status", "done")).patch("/api/v1/tasks/" + stillCanceled).then().statusCode(409)
                .body("code", is("task-canceled"));
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + reopened).then().statusCode(200);

        // Unreported (the holder silent): kept until the retention (7 days), then forgotten.
        TimeTravel.backdate(pool, "canceled_holdings", "canceled_at", Duration.ofDays(6), "agent = $1", silent.name());
        run();
        assertThat(canceledHoldings(silent.name())).containsExactly(unreported);
        TimeTravel.backdate(pool, "canceled_holdings", "canceled_at", Duration.ofDays(8), "agent = $1", silent.name());
        run();
        assertThat(canceledHoldings(silent.name())).isEmpty();
        silent.request().body(Map.of()).post("/api/v1/agents/me/heartbeat").then().statusCode(200)
                .body("canceledTaskIds", is(List.of()));

        // Reported, its task canceled eight days ago and still canceled: past the retention, forgotten too.
        for (String sql : List.of("UPDATE canceled_holdings SET canceled_at = canceled_at - interval '8 days' WHERE task_id = $1",
                "UPDATE tasks SET completed_at = completed_at - interval '8 days' WHERE id = $1")) {
            pool.preparedQuery(sql).execute(Tuple.of(stillCanceled)).await().atMost(Duration.ofSeconds(10));
        }
        worker.request().body(Map.of("status", "done")).patch("/api/v1/tasks/" + stillCanceled).then().statusCode(409)
                .body("code", is("task-canceled"));
        run();
        assertThat(canceledHoldings(worker.name())).isEmpty();
        worker.request().body(Map.of("status", "done")).patch("/api/v1/tasks/" + stillCanceled).then().statusCode(409)
                .body("code", is("invalid-transition"));
    }
}
