package dev.olympus.task;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.ProblemShape;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.hamcrest.Matchers.*;

/** Bad input gets a problem with its code, never a 500. */
@QuarkusTest
@ExtendWith(ProblemShape.class)
class TaskValidationTest {

    private TestAgent orchestrator;

    @BeforeEach
    void agent() {
        orchestrator = Api.agent("orchestrator");
    }

    @Test
    void emptyAndOversizedTitles() {
        for (String title : new String[]{"", "   ", "x".repeat(201)}) {
            orchestrator.request().body(Map.of("title", title)).post("/api/v1/tasks")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("code", is("validation-failed")).body("errors.field", hasItem("title"));
        }
        orchestrator.request().body(Map.of("description", "no title")).post("/api/v1/tasks")
                .then().statusCode(400).body("errors.field", hasItem("title"));
    }

    @Test
    void unknownPriority() {
        orchestrator.request().body(Map.of("title", "t", "priority", "urgent")).post("/api/v1/tasks")
                .then().statusCode(400).body("code", is("validation-failed")).body("errors.field", hasItem("priority"));
    }

    @Test
    void unknownField() {
        orchestrator.request().body(Map.of("title", "t", "colour", "red")).post("/api/v1/tasks")
                .then().statusCode(400).body("code", is("validation-failed")).body("errors.field", hasItem("colour"));
        long id = Api.task(orchestrator, "t", null);
        orchestrator.request().body(Map.of("colour", "red")).patch("/api/v1/tasks/" + id)
                .then().statusCode(400).body("code", is("validation-failed")).body("errors.field", hasItem("colour"));
    }

    @Test
    void wrongTypes() {
        orchestrator.request().body("{\"title\": 42, \"labels\": \"x\"}").post("/api/v1/tasks")
                .then().statusCode(400).body("code", is("validation-failed"));
        orchestrator.request().body("{\"title\": \"t\", \"maxAttempts\": \"many\"}").post("/api/v1/tasks")
                .then().statusCode(400).body("errors.field", hasItem("maxAttempts"));
        orchestrator.request().body("[1,2]").post("/api/v1/tasks").then().statusCode(400);
        long id = Api.task(orchestrator, "t", null);
        orchestrator.request().body("{\"status\": 3}").patch("/api/v1/tasks/" + id)
                .then().statusCode(400).body("errors.field", hasItem("status"));
        orchestrator.request().body("{\"status\": \"finished\"}").patch("/api/v1/tasks/" + id)
                .then().statusCode(400).body("errors.field", hasItem("status"));
    }

    /** A JSON value of another type is refused, never converted: {"title": 5} is not the title "5". */
    @Test
    void scalarsOfTheWrongTypeAreRefusedNotCoerced() {
        String[][] rows = {
                // body, field, message
                {"{\"title\": 5}", "title", "must be a string"},
                {"{\"title\": true}", "title", "must be a string"},
                {"{\"title\": 1.5}", "title", "must be a string"},
                {"{\"title\": \"t\", \"description\": 7}", "description", "must be a string"},
                {"{\"title\": \"t\", \"labels\": [1]}", "labels[0]", "must be a string"},
                {"{\"title\": \"t\", \"acceptanceCriteria\": [false]}", "acceptanceCriteria[0]", "must be a string"},
                {"{\"title\": \"t\", \"priority\": 1}", "priority", "invalid value"},
                {"{\"title\": \"t\", \"reviewRequired\": 1}", "reviewRequired", "must be true or false"},
                {"{\"title\": \"t\", \"reviewRequired\": \"true\"}", "reviewRequired", "must be true or false"},
                {"{\"title\": \"t\", \"maxAttempts\": 2.5}", "maxAttempts", "must be an integer"},
                {"{\"title\": \"t\", \"maxAttempts\": \"3\"}", "maxAttempts", "must be an integer"},
                {"{\"title\": \"t\", \"maxAttempts\": \"\"}", "maxAttempts", "must be an integer"},
                {"{\"title\": \"t\", \"dependsOn\": [\"1\"]}", "dependsOn[0]", "must be an integer"},
        };
        for (String[] row : rows) {
            orchestrator.request().body(row[0]).post("/api/v1/tasks")
                    .then().statusCode(400).contentType("application/problem+json").body("code", is("validation-failed"))
                    .body("errors.find { it.field == '" + row[1] + "' }.message", is(row[2]));
        }
        orchestrator.request().body("{\"tasks\": [{\"ref\": \"a\", \"title\": \"t\"}, {\"ref\": 2, \"title\": 5}]}")
                .post("/api/v1/plans").then().statusCode(400).body("code", is("validation-failed"))
                .body("errors.field", hasItem(startsWith("tasks[1].")));
        long id = Api.task(orchestrator, "t", null);
        orchestrator.request().body("{\"title\": 5}").patch("/api/v1/tasks/" + id)
                .then().statusCode(400).body("errors.field", hasItem("title"));
        orchestrator.request().body("{\"body\": 12}").post("/api/v1/tasks/" + id + "/comments")
                .then().statusCode(400).body("errors.field", hasItem("body"));
        orchestrator.request().body("{\"question\": 12}").post("/api/v1/tasks/" + id + "/questions")
                .then().statusCode(400).body("errors.field", hasItem("question"));
        Api.admin().body("{\"name\": \"" + Api.uniqueName("typ") + "\", \"role\": \"worker\", \"description\": 3}")
                .post("/api/v1/agents").then().statusCode(400).body("errors.field", hasItem("description"));
        Api.admin().body("{\"url\": \"http://127.0.0.1:9/x\", \"types\": [1]}").post("/api/v1/webhooks")
                .then().statusCode(400).body("errors.field", hasItem("types[0]"));
        orchestrator.request().body("{\"status\": 1}").post("/api/v1/agents/me/heartbeat")
                .then().statusCode(400).body("errors.field", hasItem("status"));
        // nothing of the refused bodies was stored
        orchestrator.request().queryParam("createdBy", orchestrator.name()).get("/api/v1/tasks")
                .then().statusCode(200).body("items.size()", is(1));
    }

    @Test
    void malformedJson() {
        orchestrator.request().body("{\"title\": ").post("/api/v1/tasks")
                .then().statusCode(400).contentType("application/problem+json").body("code", is("validation-failed"));
        long id = Api.task(orchestrator, "t", null);
        orchestrator.request().body("{nope").patch("/api/v1/tasks/" + id).then().statusCode(400).body("code", is("validation-failed"));
    }

    @Test
    void wrongContentType() {
        orchestrator.request().contentType("text/plain").body("title=t").post("/api/v1/tasks")
                .then().statusCode(415).contentType("application/problem+json").body("code", is("unsupported-media-type"));
    }

    @Test
    void bodyOver256KiBIs413() {
        String huge = "{\"title\":\"t\",\"description\":\"" + "x".repeat(300 * 1024) + "\"}";
        orchestrator.request().body(huge).post("/api/v1/tasks").then().statusCode(413)
                .contentType("application/problem+json").body("code", is("payload-too-large"));
    }

    @Test
    void descriptionOver64KiBIsAValidationProblem() {
        orchestrator.request().body(Map.of("title", "t", "description", "x".repeat(65537))).post("/api/v1/tasks")
                .then().statusCode(400).body("errors.field", hasItem("description"));
    }

    @Test
    void invalidQueryParameters() {
        orchestrator.request().queryParam("limit", 0).get("/api/v1/tasks").then().statusCode(400).body("errors.field", hasItem("limit"));
        orchestrator.request().queryParam("limit", 201).get("/api/v1/tasks").then().statusCode(400);
        orchestrator.request().queryParam("limit", "ten").get("/api/v1/tasks").then().statusCode(400);
        orchestrator.request().queryParam("status", "todo,finished").get("/api/v1/tasks").then().statusCode(400)
                .body("errors.field", hasItem("status"));
        orchestrator.request().queryParam("ready", "maybe").get("/api/v1/tasks").then().statusCode(400);
        orchestrator.request().queryParam("updatedSince", "yesterday").get("/api/v1/tasks").then().statusCode(400);
        orchestrator.request().queryParam("cursor", "garbage!").get("/api/v1/tasks").then().statusCode(400)
                .body("errors.field", hasItem("cursor"));
        orchestrator.request().get("/api/v1/tasks/not-a-number").then().statusCode(anyOf(is(400), is(404)))
                .contentType("application/problem+json");
    }

    @Test
    void nulCharactersAreRefusedNotA500() {
        orchestrator.request().body("{\"title\": \"a\\u0000b\"}").post("/api/v1/tasks")
                .then().statusCode(400).body("code", is("validation-failed"));
    }
}
