package dev.olympus.web;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.ProblemShape;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.is;

/**
 * Every problem document has one member per name and {@code status} is the HTTP code (RFC 9457): a problem that
 * carries the resource's state says {@code currentStatus}. {@link ProblemShape} checks every answer here, and in
 * the tests that reach most problems ({@code AuthorizationMatrixTest}, {@code TaskTransitionsTest},
 * {@code TaskValidationTest}, {@code RetryTest}, {@code LeaseTest}, {@code BlockingReasonTest}).
 */
@QuarkusTest
@ExtendWith(ProblemShape.class)
class ProblemDocumentsTest {

    @Test
    void retryOfATaskThatIsNotFailedNamesItsStateCurrentStatus() {
        TestAgent orchestrator = Api.agent("orchestrator");
        long id = Api.task(orchestrator, Map.of());
        Response answer = RestAssured.given().header("Authorization", "Bearer " + orchestrator.key())
                .post("/api/v1/tasks/" + id + "/retry");
        answer.then().statusCode(409).body("code", is("invalid-transition")).body("status", is(409))
                .body("currentStatus", is("todo"));
        ProblemShape.check(answer.statusCode(), answer.contentType(), answer.asString());
    }

    @Test
    void aLostLeaseNamesTheTaskStateCurrentStatus() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("shape");
        long id = Api.task(orchestrator, Map.of("labels", List.of(label)));
        long epoch = worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim")
                .then().statusCode(200).extract().jsonPath().getLong("leaseEpoch");
        Response answer = worker.request().header("Olympus-Lease-Epoch", epoch + 1).body(Map.of("result", "stale"))
                .patch("/api/v1/tasks/" + id);
        answer.then().statusCode(409).body("code", is("lease-lost")).body("status", is(409))
                .body("currentStatus", is("in_progress"));
        ProblemShape.check(answer.statusCode(), answer.contentType(), answer.asString());
    }

    @Test
    void theCommonProblemsHaveTheirShape() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent observer = Api.agent("observer");
        TestAgent worker = Api.agent("worker");
        long id = Api.task(orchestrator, Map.of("assignee", worker.name()));
        // Each answer passes through ProblemShape; the status codes say which problem was reached.
        orchestrator.request().body(Map.of("title", "x", "priority", "urgent")).post("/api/v1/tasks").then().statusCode(400);
        RestAssured.given().get("/api/v1/tasks").then().statusCode(401);
        observer.request().body(Map.of("title", "x")).post("/api/v1/tasks").then().statusCode(403);
        orchestrator.request().get("/api/v1/tasks/999999999").then().statusCode(404);
        orchestrator.request().header("If-Match", "\"99\"").body(Map.of("title", "v2")).patch("/api/v1/tasks/" + id)
                .then().statusCode(412);
        RestAssured.given().header("Authorization", "Bearer " + orchestrator.key()).contentType("text/plain").body("x")
                .post("/api/v1/tasks").then().statusCode(415);
        orchestrator.request().body(Map.of("title", "x".repeat(300 * 1024))).post("/api/v1/tasks").then().statusCode(413);
        worker.request().body(Map.of("status", "done")).patch("/api/v1/tasks/" + id).then().statusCode(409)
                .body("code", is("invalid-transition"));
        worker.request().body(Map.of("status", "blocked")).patch("/api/v1/tasks/" + id).then().statusCode(422)
                .body("code", is("block-reason-required"));
    }

    @Test
    void theCheckCatchesADuplicatedMemberAndAStatusThatIsNotTheHttpCode() {
        String duplicated = """
                {"type":"urn:olympus:problem:x","status":409,"code":"x","status":"todo"}""";
        assertThatThrownBy(() -> ProblemShape.check(409, "application/problem+json", duplicated))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Duplicate field 'status'");
        assertThatThrownBy(() -> ProblemShape.check(409, "application/problem+json", """
                {"type":"urn:olympus:problem:x","status":400,"code":"x"}"""))
                .isInstanceOf(AssertionError.class);
        ProblemShape.check(409, "application/problem+json", """
                {"type":"urn:olympus:problem:x","status":409,"code":"x","currentStatus":"todo"}""");
    }

    @Test
    void noExtensionCanTakeTheNameOfAStandardMember() {
        for (String name : List.of("type", "title", "status", "detail", "code", "instance")) {
            assertThatThrownBy(() -> ProblemException.conflict("x", "X", "x").with(name, "value"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(ProblemException.conflict("x", "X", "x").with("currentStatus", "todo").extensions())
                .containsEntry("currentStatus", "todo");
    }
}
