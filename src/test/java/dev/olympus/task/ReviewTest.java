package dev.olympus.task;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.ProblemShape;
import dev.olympus.testing.TransitionCallers;
import dev.olympus.testing.TransitionCallers.Kind;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.olympus.testing.Api.move;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * The review rules of API.md "Review and acceptance" on a task with {@code reviewRequired}, for every role: the
 * expected answers are written out here, independently of the production table.
 */
@QuarkusTest
@ExtendWith(ProblemShape.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewTest {

    private TransitionCallers callers;
    private TestAgent orchestrator;
    private TestAgent worker;

    @BeforeEach
    void callers() {
        if (callers == null) {
            callers = new TransitionCallers();
            orchestrator = callers.orchestrator;
            worker = callers.worker;
        }
    }

    /** from, to, whether a comment goes with it, and per caller kind: status and code (null: success). */
    Stream<Arguments> reviewMoves() {
        List<Arguments> cases = new ArrayList<>();
        String f = "403 forbidden";
        String ok = "200";
        // in_progress -> done on a reviewed task: nobody skips the review
        add(cases, "in_progress", "done", false, "409 review-required", f, f, f, "409 review-required");
        // accepting: anyone but the assignee who may review
        add(cases, "in_review", "done", false, "403 self-review", f, ok, ok, ok);
        // rejecting with a reason
        add(cases, "in_review", "in_progress", true, "403 self-review", f, ok, ok, ok);
        add(cases, "in_review", "todo", true, f, f, ok, ok, ok);
        // rejecting without a reason
        add(cases, "in_review", "in_progress", false, "403 self-review", f,
                "422 rejection-reason-required", "422 rejection-reason-required", "422 rejection-reason-required");
        // failing is not a review: the assignee and planners, not reviewing workers
        add(cases, "in_review", "failed", false, ok, f, f, ok, ok);
        return cases.stream();
    }

    private static void add(List<Arguments> cases, String from, String to, boolean comment, String... byKind) {
        for (Kind kind : Kind.values()) {
            cases.add(Arguments.of(from, to, comment, kind, byKind[kind.ordinal()]));
        }
    }

    @ParameterizedTest(name = "reviewed task {0} -> {1} (comment {2}) by {3}: {4}")
    @MethodSource("reviewMoves")
    void reviewRulesForEveryRole(String from, String to, boolean comment, Kind kind, String expected) {
        long id = Api.task(orchestrator, Map.of("title", "review " + from + " " + to + " " + comment + " " + kind,
                "assignee", worker.name(), "reviewRequired", true));
        move(worker, id, "in_progress");
        if (from.equals("in_review")) {
            move(worker, id, "in_review");
        }
        Map<String, Object> body = new HashMap<>(Map.of("status", to));
        if (comment) {
            body.put("comment", "the tests fail");
        }
        var request = callers.agent(kind).request();
        int status = Integer.parseInt(expected.substring(0, 3));
        var response = request.body(body).patch("/api/v1/tasks/" + id).then().statusCode(status);
        if (status == 200) {
            response.body("status", is(to));
            boolean review = from.equals("in_review") && !to.equals("failed");
            response.body("reviewedBy", is(review ? callers.agent(kind).name() : null));
        } else {
            response.body("code", is(expected.substring(4)));
        }
    }

    @Test
    void evidenceCoversEveryCriterionAndIsKeptOnTheTaskAndInTheEvent() {
        long id = Api.task(orchestrator, Map.of("title", "criteria", "assignee", worker.name(),
                "acceptanceCriteria", List.of("tests pass", "docs updated", "benchmark run")));
        move(worker, id, "in_progress");
        worker.request().body(Map.of("status", "in_review", "evidence", List.of(Map.of("criterion", 1, "text", "docs/x.md"))))
                .patch("/api/v1/tasks/" + id).then().statusCode(422)
                .body("code", is("evidence-required")).body("missing", contains(0, 2));
        worker.request().body(Map.of("status", "in_review", "evidence", List.of(Map.of("criterion", 3, "text", "x"))))
                .patch("/api/v1/tasks/" + id).then().statusCode(400)
                .body("code", is("validation-failed")).body("errors[0].field", is("evidence[0].criterion"));
        worker.request().body(Map.of("status", "in_review", "evidence", List.of(Map.of("criterion", 0, "text", "  "))))
                .patch("/api/v1/tasks/" + id).then().statusCode(400).body("errors[0].field", is("evidence[0].text"));
        worker.request().body(Map.of("status", "done")).patch("/api/v1/tasks/" + id).then().statusCode(422)
                .body("missing", contains(0, 1, 2));
        List<Map<String, Object>> evidence = List.of(Map.of("criterion", 0, "text", "CI run 12 green"),
                Map.of("criterion", 1, "text", "docs/x.md"), Map.of("criterion", 2, "text", "p50 40 ms"));
        worker.request().body(Map.of("status", "in_review", "result", "done", "evidence", evidence))
                .patch("/api/v1/tasks/" + id).then().statusCode(200)
                .body("evidence.size()", is(3)).body("evidence[2].text", is("p50 40 ms"));
        Api.admin().get("/api/v1/tasks/" + id + "/history?limit=200").then().statusCode(200)
                .body("items.findAll { it.type == 'task.status_changed' && it.data.to == 'in_review' }[0].data.evidence[0].text",
                        is("CI run 12 green"));
        // a rejection drops the evidence: the next submission brings it again
        orchestrator.request().body(Map.of("status", "in_progress", "comment", "benchmark is for the wrong scenario"))
                .patch("/api/v1/tasks/" + id).then().statusCode(200).body("evidence", nullValue());
        worker.request().body(Map.of("status", "in_review")).patch("/api/v1/tasks/" + id).then().statusCode(422);
    }

    @Test
    void childrenRollUpAndAParentIsNotDoneWhileAChildIsOpen() {
        long parent = Api.task(orchestrator, Map.of("title", "parent", "assignee", worker.name()));
        long child1 = Api.task(orchestrator, Map.of("title", "child 1", "parentId", parent, "assignee", worker.name()));
        Api.task(orchestrator, Map.of("title", "child 2", "parentId", parent));
        move(worker, child1, "in_progress");
        move(worker, child1, "done");
        Api.admin().get("/api/v1/tasks/" + parent).then().statusCode(200)
                .body("children.total", is(2)).body("children.open", is(1)).body("children.done", is(1));
        Api.admin().queryParam("parentId", parent).get("/api/v1/tasks").then().statusCode(200).body("items.size()", is(2));
        move(worker, parent, "in_progress");
        worker.request().body(Map.of("status", "done")).patch("/api/v1/tasks/" + parent).then().statusCode(409)
                .body("code", is("children-open"));
        Api.admin().queryParam("parentId", "x").get("/api/v1/tasks").then().statusCode(400)
                .body("errors[0].field", is("parentId"));
        orchestrator.request().body(Map.of("title", "orphan", "parentId", 999_999_999)).post("/api/v1/tasks").then()
                .statusCode(400).body("errors[0].field", is("parentId"));
    }

    @Test
    void aWorkerWithoutTheReviewCapabilityCannotClaimReviews() {
        callers.otherWorker.request().body(Map.of("review", true)).post("/api/v1/tasks/claim").then().statusCode(403);
    }
}
