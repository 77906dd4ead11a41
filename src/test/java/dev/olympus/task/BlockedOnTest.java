package dev.olympus.task;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.olympus.task.DependenciesTest.finish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/** Blockages that resolve themselves: a move to blocked with blockedOn returns to todo when the blockers are done. */
@QuarkusTest
class BlockedOnTest {

    private static Response block(TestAgent worker, long id, List<Long> blockedOn) {
        return worker.request().body(Map.of("status", "blocked", "blockedOn", blockedOn, "comment", "waiting for the schema"))
                .patch("/api/v1/tasks/" + id);
    }

    private static List<String> types(TestAgent reader, long id) {
        return reader.request().get("/api/v1/tasks/" + id + "/history?limit=200").jsonPath().getList("items.type", String.class);
    }

    @Test
    void aBlockedOnTaskUnblocksItselfWhenItsBlockersAreDone() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        TestAgent other = Api.agent("worker");
        long task = Api.task(orchestrator, Map.of("assignee", worker.name()));
        long schema = Api.task(orchestrator, Map.of("assignee", other.name()));
        long api = Api.task(orchestrator, Map.of("assignee", other.name()));
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + task).then().statusCode(200);

        block(worker, task, List.of(schema, api)).then().statusCode(200)
                .body("status", is("blocked"))
                .body("dependsOn", contains((int) schema, (int) api))
                .body("ready", is(false));

        finish(other, schema);
        orchestrator.request().get("/api/v1/tasks/" + task).then().body("status", is("blocked"));

        finish(other, api);
        orchestrator.request().get("/api/v1/tasks/" + task).then()
                .body("status", is("todo"))
                .body("assignee", is(worker.name()))
                .body("ready", is(true));
        assertThat(types(orchestrator, task)).containsExactly("task.created", "task.status_changed",
                "task.status_changed", "task.updated", "task.commented", // the block, its new dependencies, its reason
                "task.status_changed", "task.commented", "task.ready");   // back to todo by itself
        Response history = orchestrator.request().get("/api/v1/tasks/" + task + "/history?limit=200");
        List<Map<String, Object>> items = history.jsonPath().getList("items");
        Map<String, Object> unblocked = items.get(items.size() - 3);
        assertThat(unblocked.get("actor")).isEqualTo("system");
        assertThat(((Map<?, ?>) unblocked.get("data")).get("to")).isEqualTo("todo");
        orchestrator.request().get("/api/v1/tasks/" + task + "/comments").then()
                .body("items.system", hasItem(true))
                .body("items.author", hasItem("system"))
                .body("items.body", hasItem("Unblocked: every task this one was blocked on (#" + Math.min(schema, api)
                        + ", #" + Math.max(schema, api) + ") is done; back to todo."));
        // The worker picks it up again.
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + task).then().statusCode(200);
    }

    @Test
    void aManualUnblockEndsTheSelfResolvingBlockage() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        TestAgent other = Api.agent("worker");
        long task = Api.task(orchestrator, Map.of("assignee", worker.name()));
        long blocker = Api.task(orchestrator, Map.of("assignee", other.name()));
        block(worker, task, List.of(blocker)).then().statusCode(200);
        worker.request().body(Map.of("status", "todo")).patch("/api/v1/tasks/" + task).then().statusCode(200);
        worker.request().body(Map.of("status", "blocked", "comment", "blocked for another reason"))
                .patch("/api/v1/tasks/" + task).then().statusCode(200);

        finish(other, blocker);
        // Still blocked: the blockage it is in now is not the one blockedOn described.
        orchestrator.request().get("/api/v1/tasks/" + task).then().body("status", is("blocked")).body("ready", is(true));
    }

    @Test
    void blockedOnIsValidated() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long task = Api.task(orchestrator, Map.of("assignee", worker.name()));
        long doneTask = Api.task(orchestrator, Map.of("assignee", worker.name()));
        finish(worker, doneTask);

        worker.request().body(Map.of("blockedOn", List.of(doneTask))).patch("/api/v1/tasks/" + task)
                .then().statusCode(400).body("code", is("validation-failed"));
        worker.request().body(Map.of("status", "blocked", "comment", "x", "blockedOn", List.of())).patch("/api/v1/tasks/" + task)
                .then().statusCode(400);
        worker.request().body(Map.of("status", "blocked", "comment", "x", "blockedOn", List.of("one"))).patch("/api/v1/tasks/" + task)
                .then().statusCode(400);
        block(worker, task, List.of(Long.MAX_VALUE)).then().statusCode(400).body("code", is("validation-failed"));
        block(worker, task, List.of(task)).then().statusCode(409).body("code", is("dependency-cycle"));
        block(worker, task, List.of(doneTask)).then().statusCode(409).body("code", is("blockers-done"));
        // Refusals changed nothing.
        orchestrator.request().get("/api/v1/tasks/" + task).then().body("status", is("todo")).body("version", is(1));
    }

    @Test
    void blockedOnRefusesCycles() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long task = Api.task(orchestrator, Map.of("assignee", worker.name()));
        long dependent = Api.task(orchestrator, Map.of("dependsOn", List.of(task)));
        block(worker, task, List.of(dependent)).then().statusCode(409).body("code", is("dependency-cycle"));
        orchestrator.request().get("/api/v1/tasks/" + task).then().body("status", is("todo")).body("dependsOn", is(List.of()));
    }

    @Test
    void aBlockerCompletingWhileTheBlockIsWrittenIsNeverMissed() throws Exception {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        TestAgent other = Api.agent("worker");
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 10; round++) {
                long task = Api.task(orchestrator, Map.of("assignee", worker.name()));
                long blocker = Api.task(orchestrator, Map.of("assignee", other.name()));
                other.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + blocker).then().statusCode(200);
                List<Integer> answers = DependenciesTest.race(threads,
                        () -> block(worker, task, List.of(blocker)).statusCode(),
                        () -> DependenciesTest.done(other, blocker));
                // Either the block came first (and the completion unblocked it) or the blocker was done already.
                String status = orchestrator.request().get("/api/v1/tasks/" + task).path("status");
                if (answers.get(0) == 200) {
                    assertThat(status).isEqualTo("todo");
                } else {
                    assertThat(answers.get(0)).isEqualTo(409);
                    assertThat(status).isEqualTo("todo");
                }
                assertThat(answers.get(1)).isEqualTo(200);
            }
        }
    }
}
