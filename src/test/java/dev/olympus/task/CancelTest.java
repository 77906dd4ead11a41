package dev.olympus.task;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.ProblemShape;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
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
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** {@code POST /tasks/{id}/cancel}: the fenced cancel of a held task, the cascade, and bad input. */
@QuarkusTest
@ExtendWith(ProblemShape.class)
class CancelTest {

    @Inject
    Pool pool;

    private TestAgent main;

    @BeforeEach
    void orchestrator() {
        main = Api.agent("orchestrator");
    }

    /** A task only {@code worker} will claim (a label of its own), claimed by it: its id and lease epoch. */
    private long[] claimed(TestAgent worker) {
        String label = Api.uniqueName("cancel");
        long id = Api.task(main, Map.of("labels", List.of(label)));
        Response claim = worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim");
        claim.then().statusCode(200).body("id", is((int) id));
        return new long[] {id, claim.jsonPath().getLong("leaseEpoch")};
    }

    private Response cancel(TestAgent caller, long id, Map<String, Object> body) {
        return caller.request().body(body).post("/api/v1/tasks/" + id + "/cancel");
    }

    private Response heartbeat(TestAgent worker, Map<String, Object> body) {
        return worker.request().body(body).post("/api/v1/agents/me/heartbeat");
    }

    @Test
    void cancelingAHeldTaskFencesItsHolderAndTellsItOnce() {
        TestAgent worker = Api.agent("worker");
        long[] held = claimed(worker);
        long id = held[0];

        cancel(main, id, Map.of("reason", "  the customer withdrew the request  ")).then().statusCode(200)
                .body("id", is((int) id)).body("status", is("canceled")).body("cascaded", empty())
                .body("assignee", is(worker.name())).body("leaseExpiresAt", is((Object) null))
                .body("leaseEpoch", is((int) held[1] + 1)).body("commentCount", is(1));

        // Every later write of the former holder: 409 task-canceled (with or without its lease epoch).
        worker.request().header("Olympus-Lease-Epoch", held[1]).body(Map.of("status", "done", "result", "finished anyway"))
                .patch("/api/v1/tasks/" + id).then().statusCode(409).body("code", is("task-canceled"));
        worker.request().body(Map.of("result", "partial")).patch("/api/v1/tasks/" + id)
                .then().statusCode(409).body("code", is("task-canceled"));
        heartbeat(worker, Map.of("taskId", id)).then().statusCode(409).body("code", is("task-canceled"));

        // The next heartbeat lists it, the one after does not.
        heartbeat(worker, Map.of("status", "idle")).then().statusCode(200).body("canceledTaskIds", is(List.of((int) id)));
        heartbeat(worker, Map.of("status", "idle")).then().statusCode(200).body("canceledTaskIds", empty());

        Api.admin().get("/api/v1/tasks/" + id).then().body("status", is("canceled")).body("result", is((Object) null));
        Api.admin().get("/api/v1/tasks/" + id + "/comments").then().statusCode(200)
                .body("items[0].body", is("the customer withdrew the request")).body("items[0].author", is(main.name()));
        List<Row> events = events(id);
        Row changed = events.stream().filter(e -> e.getString("type").equals("task.status_changed")).toList().getLast();
        JsonObject data = changed.getJsonObject("data");
        assertThat(data.getString("from")).isEqualTo("in_progress");
        assertThat(data.getString("to")).isEqualTo("canceled");
        assertThat(data.getString("reason")).isEqualTo("the customer withdrew the request");
        assertThat(changed.getString("actor")).isEqualTo(main.name());
        assertThat(events.getLast().getString("type")).isEqualTo("task.commented");
    }

    @Test
    void aHeartbeatThatRenewsAnotherTaskAlsoListsTheCanceledOne() {
        TestAgent worker = Api.agent("worker");
        long[] first = claimed(worker);
        long[] second = claimed(worker);
        cancel(main, first[0], Map.of("reason", "duplicate of another task")).then().statusCode(200);
        heartbeat(worker, Map.of("taskId", second[0])).then().statusCode(200)
                .body("canceledTaskIds", is(List.of((int) first[0]))).body("leaseExpiresAt", not(is((Object) null)));
        heartbeat(worker, Map.of("taskId", second[0])).then().statusCode(200).body("canceledTaskIds", empty());
    }

    @Test
    void cascadeCancelsExactlyTheNotStartedDependents() {
        TestAgent worker = Api.agent("worker");
        long root = claimed(worker)[0];
        long todo = Api.task(main, Map.of("dependsOn", List.of(root)));
        long transitive = Api.task(main, Map.of("dependsOn", List.of(todo)));
        long blocked = Api.task(main, Map.of("dependsOn", List.of(root), "assignee", worker.name()));
        worker.request().body(Map.of("status", "blocked", "comment", "waiting for the root task"))
                .patch("/api/v1/tasks/" + blocked).then().statusCode(200);
        long running = claimed(worker)[0];
        long finished = claimed(worker)[0];
        worker.request().body(Map.of("status", "done")).patch("/api/v1/tasks/" + finished).then().statusCode(200);
        for (long late : new long[] {running, finished}) {
            main.request().body(Map.of("dependsOn", List.of(root))).put("/api/v1/tasks/" + late + "/dependencies")
                    .then().statusCode(200);
        }
        long unrelated = Api.task(main, Map.of());

        Response answer = cancel(main, root, Map.of("reason", "the approach is wrong", "cascade", true));
        answer.then().statusCode(200).body("status", is("canceled"));
        assertThat(answer.jsonPath().getList("cascaded", Long.class)).containsExactly(todo, transitive, blocked);

        for (long id : new long[] {todo, transitive, blocked}) {
            Api.admin().get("/api/v1/tasks/" + id).then().body("status", is("canceled"));
            Api.admin().get("/api/v1/tasks/" + id + "/comments").then()
                    .body("items.body", hasItem("Canceled with task #" + root + " (cascade) by '" + main.name()
                            + "': the approach is wrong"));
            JsonObject data = events(id).stream().filter(e -> e.getString("type").equals("task.status_changed"))
                    .toList().getLast().getJsonObject("data");
            assertThat(data.getLong("cascadeOf")).isEqualTo(root);
            assertThat(data.getString("reason")).isEqualTo("the approach is wrong");
        }
        Api.admin().get("/api/v1/tasks/" + running).then().body("status", is("in_progress"));
        Api.admin().get("/api/v1/tasks/" + finished).then().body("status", is("done"));
        Api.admin().get("/api/v1/tasks/" + unrelated).then().body("status", is("todo"));
        // Velocity counts every cancellation (the root and its three dependents) as canceled.
        main.request().queryParam("createdBy", "me").queryParam("bucket", "day").get("/api/v1/metrics/velocity")
                .then().statusCode(200).body("total.canceled", is(4));
        // Only the held root is reported to the worker, not the blocked task it was assigned.
        heartbeat(worker, Map.of()).then().statusCode(200).body("canceledTaskIds", is(List.of((int) root)));
    }

    @Test
    void withoutCascadeTheDependentsStay() {
        long root = Api.task(main, Map.of());
        long dependent = Api.task(main, Map.of("dependsOn", List.of(root)));
        cancel(main, root, Map.of("reason", "not needed", "cascade", false)).then().statusCode(200).body("cascaded", empty());
        Api.admin().get("/api/v1/tasks/" + dependent).then().body("status", is("todo")).body("ready", is(false));
    }

    @Test
    void refusesBadInputWrongCallersAndFinalTasks() {
        TestAgent worker = Api.agent("worker");
        long id = Api.task(main, Map.of("assignee", worker.name()));
        cancel(main, id, Map.of("reason", "   ")).then().statusCode(422).body("code", is("cancel-reason-required"))
                .body("status", is(422));
        cancel(main, id, Map.of()).then().statusCode(422).body("code", is("cancel-reason-required"));
        main.request().post("/api/v1/tasks/" + id + "/cancel").then().statusCode(422).body("code", is("cancel-reason-required"));
        cancel(main, id, Map.of("reason", "x".repeat(2001))).then().statusCode(400).body("code", is("validation-failed"))
                .body("errors[0].field", is("reason"));
        cancel(main, id, Map.of("reason", "ok", "why", "unknown member")).then().statusCode(400);
        cancel(worker, id, Map.of("reason", "I do not like it")).then().statusCode(403).body("code", is("forbidden"));
        cancel(Api.agent("observer"), id, Map.of("reason", "no")).then().statusCode(403);
        cancel(main, 999_999_999L, Map.of("reason", "gone")).then().statusCode(404);
        Api.admin().get("/api/v1/tasks/" + id).then().body("status", is("todo")).body("commentCount", is(0));

        cancel(Api.agent("operator"), id, Map.of("reason", "operators may")).then().statusCode(200);
        cancel(main, id, Map.of("reason", "twice")).then().statusCode(409).body("code", is("invalid-transition"));
        long done = claimed(worker)[0];
        worker.request().body(Map.of("status", "done")).patch("/api/v1/tasks/" + done).then().statusCode(200);
        cancel(main, done, Map.of("reason", "too late")).then().statusCode(409).body("code", is("invalid-transition"))
                .body("from", is("done"));
        // A planner may reopen a canceled task.
        main.request().body(Map.of("status", "todo")).patch("/api/v1/tasks/" + id).then().statusCode(200);
    }

    @Test
    void aCancelRacingTheHoldersCompletionHasOneCleanWinner() {
        TestAgent worker = Api.agent("worker");
        List<long[]> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(claimed(worker));
        }
        for (long[] held : tasks) {
            var cancel = CompletableFuture.supplyAsync(() -> cancel(main, held[0], Map.of("reason", "race")).statusCode());
            var done = CompletableFuture.supplyAsync(() -> worker.request().header("Olympus-Lease-Epoch", held[1])
                    .body(Map.of("status", "done", "result", "r")).patch("/api/v1/tasks/" + held[0]).statusCode());
            int canceled = cancel.join();
            int completed = done.join();
            String status = Api.admin().get("/api/v1/tasks/" + held[0]).path("status");
            if (status.equals("canceled")) {
                assertThat(canceled).isEqualTo(200);
                assertThat(completed).isEqualTo(409);
                Api.admin().get("/api/v1/tasks/" + held[0]).then().body("result", is((Object) null));
            } else {
                assertThat(status).isEqualTo("done");
                assertThat(completed).isEqualTo(200);
                assertThat(canceled).isEqualTo(409);
            }
        }
    }

    private List<Row> events(long taskId) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("SELECT type, actor, data FROM events WHERE task_id = $1 ORDER BY id").execute(Tuple.of(taskId))
                .await().atMost(Duration.ofSeconds(10)).forEach(rows::add);
        return rows;
    }
}
