package dev.olympus.task;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.*;

@QuarkusTest
class TaskApiTest {

    @Test
    void orchestratorCreatesAndEveryoneReads() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        var created = orchestrator.request()
                .body(Map.of("title", "Write the parser", "description", "RFC 7396", "assignee", worker.name(),
                        "priority", "high", "labels", List.of("java", "parser")))
                .post("/api/v1/tasks")
                .then().statusCode(201)
                .header("Location", matchesPattern(".*/api/v1/tasks/\\d+$"))
                .header("ETag", is("\"1\""))
                .body("title", is("Write the parser"))
                .body("status", is("todo"))
                .body("priority", is("high"))
                .body("assignee", is(worker.name()))
                .body("createdBy", is(orchestrator.name()))
                .body("labels", contains("java", "parser"))
                .body("dependsOn", empty())
                .body("ready", is(true))
                .body("attempt", is(1))
                .body("retryOf", nullValue())
                .body("commentCount", is(0))
                .body("createdAt", matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*Z"))
                .extract();
        String location = created.header("Location");
        Api.agent("observer").request().get(location).then().statusCode(200).header("ETag", is("\"1\""))
                .body("title", is("Write the parser"));
    }

    @Test
    void aTaskShowsEveryContractFieldAndNoInternalOnes() {
        TestAgent orchestrator = Api.agent("orchestrator");
        long id = Api.task(orchestrator, "fields", null);
        Map<String, Object> task = orchestrator.request().get("/api/v1/tasks/" + id).then().statusCode(200)
                .extract().jsonPath().getMap("");
        assertThat(task).containsKeys("id", "title", "description", "status", "priority", "assignee", "createdBy",
                "labels", "dependsOn", "ready", "attempt", "retryOf", "result", "needsAttention", "attentionReason",
                "leaseExpiresAt", "version", "createdAt", "updatedAt", "startedAt", "completedAt", "commentCount");
        assertThat(task).doesNotContainKey("open");
    }

    @Test
    void workersAndObserversCannotCreate() {
        for (String role : List.of("worker", "observer")) {
            Api.agent(role).request().body(Map.of("title", "nope")).post("/api/v1/tasks")
                    .then().statusCode(403).contentType("application/problem+json").body("code", is("forbidden"));
        }
    }

    @Test
    void workerCannotTouchAnotherAgentsTaskNorPlannerFields() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent owner = Api.agent("worker");
        TestAgent other = Api.agent("worker");
        long id = Api.task(orchestrator, "owned", owner.name());
        other.request().body(Map.of("result", "mine now")).patch("/api/v1/tasks/" + id)
                .then().statusCode(403).body("code", is("forbidden"));
        owner.request().body(Map.of("title", "renamed")).patch("/api/v1/tasks/" + id)
                .then().statusCode(403).body("code", is("forbidden"));
        owner.request().body(Map.of("result", "draft")).patch("/api/v1/tasks/" + id)
                .then().statusCode(200).body("result", is("draft")).header("ETag", is("\"2\""));
    }

    @Test
    void observerCannotWrite() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent observer = Api.agent("observer");
        long id = Api.task(orchestrator, "watched", null);
        observer.request().body(Map.of("status", "canceled")).patch("/api/v1/tasks/" + id).then().statusCode(403);
        observer.request().body(Map.of("body", "hello")).post("/api/v1/tasks/" + id + "/comments").then().statusCode(403);
    }

    @Test
    void plannerPatchesFieldsAndMergePatchNullClears() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, Map.of("title", "t", "description", "d", "assignee", worker.name()));
        orchestrator.request().contentType("application/merge-patch+json")
                .body("{\"description\":null,\"assignee\":null,\"priority\":\"critical\",\"labels\":[\"x\"]}")
                .patch("/api/v1/tasks/" + id)
                .then().statusCode(200)
                .body("description", nullValue())
                .body("assignee", nullValue())
                .body("priority", is("critical"))
                .body("labels", contains("x"))
                .body("version", is(2));
    }

    @Test
    void unknownTaskIs404Problem() {
        Api.admin().get("/api/v1/tasks/999999999").then().statusCode(404)
                .contentType("application/problem+json").body("code", is("not-found")).body("status", is(404));
    }

    @Test
    void staleIfMatchIs412AndCurrentIfMatchApplies() {
        TestAgent orchestrator = Api.agent("orchestrator");
        long id = Api.task(orchestrator, "versioned", null);
        orchestrator.request().header("If-Match", "\"1\"").body(Map.of("title", "v2")).patch("/api/v1/tasks/" + id)
                .then().statusCode(200).header("ETag", is("\"2\""));
        orchestrator.request().header("If-Match", "\"1\"").body(Map.of("title", "v3")).patch("/api/v1/tasks/" + id)
                .then().statusCode(412).body("code", is("version-conflict"));
        orchestrator.request().body(Map.of("title", "v3")).patch("/api/v1/tasks/" + id)
                .then().statusCode(200).body("title", is("v3"));
    }

    @Test
    void commentsAreListedOldestFirstAndCounted() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, "discussed", null);
        String location = worker.request().body(Map.of("body", "first")).post("/api/v1/tasks/" + id + "/comments")
                .then().statusCode(201).body("author", is(worker.name())).extract().header("Location");
        orchestrator.request().body(Map.of("body", "second")).post("/api/v1/tasks/" + id + "/comments").then().statusCode(201);
        worker.request().get(location).then().statusCode(200).body("body", is("first"));
        worker.request().get("/api/v1/tasks/" + id + "/comments").then().statusCode(200)
                .body("items.body", contains("first", "second")).body("nextCursor", nullValue());
        worker.request().get("/api/v1/tasks/" + id).then().body("commentCount", is(2));
        worker.request().body(Map.of("body", "")).post("/api/v1/tasks/" + id + "/comments")
                .then().statusCode(400).body("code", is("validation-failed"));
        worker.request().body(Map.of("body", "lost")).post("/api/v1/tasks/999999999/comments").then().statusCode(404);
    }

    @Test
    void blockingNeedsAReason() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, "blockable", worker.name());
        worker.request().body(Map.of("status", "blocked")).patch("/api/v1/tasks/" + id)
                .then().statusCode(422).body("code", is("block-reason-required"));
        worker.request().body(Map.of("body", "waiting for the schema")).post("/api/v1/tasks/" + id + "/comments")
                .then().statusCode(201);
        worker.request().body(Map.of("status", "blocked")).patch("/api/v1/tasks/" + id)
                .then().statusCode(200).body("status", is("blocked"));
    }

    @Test
    void inlineBlockCommentIsStoredWithTheStatusOrNotAtAll() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, "atomic block", worker.name());
        // An invalid inline comment (too long) refuses the whole patch: neither status nor comment is stored.
        worker.request().body(Map.of("status", "blocked", "comment", "x".repeat(16385))).patch("/api/v1/tasks/" + id)
                .then().statusCode(400);
        worker.request().get("/api/v1/tasks/" + id).then().body("status", is("todo")).body("commentCount", is(0));
        worker.request().body(Map.of("status", "blocked", "comment", "need credentials")).patch("/api/v1/tasks/" + id)
                .then().statusCode(200).body("status", is("blocked")).body("commentCount", is(1));
    }

    @Test
    void historyListsTheTasksEventsInOrder() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, "with history", worker.name());
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + id).then().statusCode(200);
        worker.request().body(Map.of("body", "on it")).post("/api/v1/tasks/" + id + "/comments").then().statusCode(201);
        var history = worker.request().get("/api/v1/tasks/" + id + "/history").then().statusCode(200)
                .body("items.type", contains("task.created", "task.status_changed", "task.commented"))
                .body("items[1].data.from", is("todo"))
                .body("items[1].data.to", is("in_progress"))
                .body("items[1].actor", is(worker.name()))
                .extract().jsonPath().getList("items.id", Long.class);
        assertThat(history).isSorted();
    }

    @Test
    void dependenciesOnCreateMakeTheTaskNotReady() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long first = Api.task(orchestrator, "first", null);
        long second = Api.task(orchestrator, Map.of("title", "second", "dependsOn", List.of(first), "assignee", worker.name()));
        orchestrator.request().get("/api/v1/tasks/" + second).then()
                .body("dependsOn", contains((int) first)).body("ready", is(false));
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + second)
                .then().statusCode(409).body("code", is("dependencies-unmet"));
        orchestrator.request().body(Map.of("title", "x", "dependsOn", List.of(999999999))).post("/api/v1/tasks")
                .then().statusCode(400).body("code", is("validation-failed"));
    }

    @Test
    void noCredentialIs401EvenForUnknownTasks() {
        RestAssured.given().get("/api/v1/tasks/1").then().statusCode(401);
    }
}
