package dev.olympus.packaged;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.*;

/**
 * The main flows against the packaged application, as an operator would run it: the same test runs against
 * the fast-jar here and against the native executable wherever one can be built ({@code ./mvnw verify -Dnative}).
 */
@QuarkusIntegrationTest
class MainFlowIT {

    @Test
    void orchestratorPlansWorkerDeliversHistoryTellsTheStory() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, Map.of("title", "Ship it", "assignee", worker.name(), "labels", List.of("release")));

        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + id)
                .then().statusCode(200).body("status", is("in_progress")).body("startedAt", notNullValue());
        worker.request().body(Map.of("body", "tests are green")).post("/api/v1/tasks/" + id + "/comments").then().statusCode(201);
        worker.request().header("If-Match", "\"2\"").body(Map.of("status", "done", "result", "v1.0 released"))
                .patch("/api/v1/tasks/" + id)
                .then().statusCode(200).body("status", is("done")).body("result", is("v1.0 released"))
                .body("completedAt", notNullValue()).header("ETag", is("\"3\""));

        worker.request().get("/api/v1/tasks/" + id + "/history").then().statusCode(200)
                .body("items.type", contains("task.created", "task.status_changed", "task.commented", "task.status_changed",
                        "task.updated"));
        orchestrator.request().queryParam("assignee", worker.name()).queryParam("status", "done").get("/api/v1/tasks")
                .then().statusCode(200).body("items.id", contains((int) id));
    }

    @Test
    void operationsEndpointsAnswer() {
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200);
        io.restassured.RestAssured.given().get("/q/health/live").then().statusCode(200);
        io.restassured.RestAssured.given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/tasks"));
        io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200);
    }
}
