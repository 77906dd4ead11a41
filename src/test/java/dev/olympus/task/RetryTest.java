package dev.olympus.task;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.ProblemShape;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@ExtendWith(ProblemShape.class)
class RetryTest {

    private static void fail(TestAgent worker, long id) {
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + id).then().statusCode(200);
        worker.request().body(Map.of("status", "failed", "result", "it broke")).patch("/api/v1/tasks/" + id).then().statusCode(200);
    }

    private static Response retry(TestAgent caller, long id) {
        // No body, no Content-Type: the body is optional.
        return io.restassured.RestAssured.given().header("Authorization", "Bearer " + caller.key())
                .post("/api/v1/tasks/" + id + "/retry");
    }

    @Test
    void aRetryIsANewTaskWithTheSameWorkAndTheNextAttempt() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String title = Api.uniqueName("flaky build");
        long failed = Api.task(orchestrator, Map.of("title", title, "description", "make it pass",
                "priority", "high", "labels", List.of("ci"), "assignee", worker.name(), "maxAttempts", 4));
        fail(worker, failed);

        Response created = retry(orchestrator, failed);
        created.then().statusCode(201)
                .body("retryOf", is((int) failed))
                .body("attempt", is(2))
                .body("maxAttempts", is(4))
                .body("title", is(title))
                .body("description", is("make it pass"))
                .body("priority", is("high"))
                .body("labels", contains("ci"))
                .body("status", is("todo"))
                .body("assignee", nullValue())
                .body("createdBy", is(orchestrator.name()));
        long retryId = created.jsonPath().getLong("id");
        assertThat(created.header("Location")).endsWith("/api/v1/tasks/" + retryId);

        Response history = orchestrator.request().get("/api/v1/tasks/" + retryId + "/history");
        assertThat(history.jsonPath().getList("items.type", String.class)).containsExactly("task.created");
        assertThat(history.jsonPath().getLong("items[0].data.task.retryOf")).isEqualTo(failed);
        // The failed task itself is left as it was.
        orchestrator.request().get("/api/v1/tasks/" + failed).then().body("status", is("failed"));
    }

    @Test
    void keepsTheDependenciesMovesTheDependentsAndMayNameAnAssignee() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        TestAgent other = Api.agent("worker");
        long base = Api.task(orchestrator, Map.of("assignee", worker.name()));
        DependenciesTest.finish(worker, base);
        long failed = Api.task(orchestrator, Map.of("assignee", worker.name(), "dependsOn", List.of(base)));
        long dependent = Api.task(orchestrator, Map.of("dependsOn", List.of(failed)));
        fail(worker, failed);

        Response created = orchestrator.request().body(Map.of("assignee", other.name())).post("/api/v1/tasks/" + failed + "/retry");
        created.then().statusCode(201).body("assignee", is(other.name())).body("dependsOn", contains((int) base))
                .body("ready", is(true));
        long retryId = created.jsonPath().getLong("id");
        orchestrator.request().get("/api/v1/tasks/" + dependent).then().body("dependsOn", contains((int) retryId))
                .body("version", is(2));
        assertThat(orchestrator.request().get("/api/v1/tasks/" + dependent + "/history").jsonPath().getList("items.type", String.class))
                .containsExactly("task.created", "task.updated");
    }

    @Test
    void refusesWhatCannotBeRetried() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long open = Api.task(orchestrator, Map.of("assignee", worker.name(), "maxAttempts", 2));
        retry(orchestrator, open).then().statusCode(409).body("code", is("invalid-transition"));
        retry(orchestrator, Long.MAX_VALUE).then().statusCode(404);

        fail(worker, open);
        retry(worker, open).then().statusCode(403).body("code", is("forbidden"));
        orchestrator.request().body(Map.of("assignee", "Not A Name")).post("/api/v1/tasks/" + open + "/retry")
                .then().statusCode(400);

        long second = retry(orchestrator, open).then().statusCode(201).body("attempt", is(2)).extract().jsonPath().getLong("id");
        retry(orchestrator, open).then().statusCode(409).body("code", is("already-retried")).body("retryTaskId", is((int) second));

        orchestrator.request().body(Map.of("assignee", worker.name())).patch("/api/v1/tasks/" + second).then().statusCode(200);
        fail(worker, second);
        retry(orchestrator, second).then().statusCode(409).body("code", is("max-attempts"))
                .body("attempt", is(2)).body("maxAttempts", is(2));
    }
}
