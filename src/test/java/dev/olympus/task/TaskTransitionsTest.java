package dev.olympus.task;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.ProblemShape;
import dev.olympus.testing.TransitionCallers;
import dev.olympus.testing.TransitionCallers.Kind;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.is;

/**
 * Every pair of statuses, by each kind of caller: the table of API.md decides 200, 403 or 409.
 * The expectations are written out here independently of the production table.
 */
@QuarkusTest
@ExtendWith(ProblemShape.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskTransitionsTest {

    private static final List<String> STATUSES = List.of("todo", "in_progress", "in_review", "blocked", "done", "failed", "canceled");

    /**
     * from -> to -> who: A = assignee, P = planner (orchestrator/operator), AP = either, R = a reviewer other than the
     * assignee (orchestrator, operator, worker with capability review).
     */
    private static final Map<String, Map<String, String>> TABLE = Map.of(
            "todo", Map.of("in_progress", "A", "blocked", "A", "canceled", "P"),
            "in_progress", Map.of("in_review", "A", "done", "A", "failed", "A", "blocked", "A", "todo", "A"),
            "in_review", Map.of("done", "AR", "in_progress", "AR", "todo", "R", "failed", "AP"),
            "blocked", Map.of("todo", "AP", "in_progress", "AP"),
            "done", Map.of("todo", "P"),
            "failed", Map.of("todo", "P"),
            "canceled", Map.of("todo", "P"));

    /** How to reach each status from todo, as the assignee or the orchestrator. */
    private static final Map<String, List<String>> PATH = Map.of(
            "todo", List.of(),
            "in_progress", List.of("in_progress"),
            "in_review", List.of("in_progress", "in_review"),
            "blocked", List.of("blocked"),
            "done", List.of("in_progress", "done"),
            "failed", List.of("in_progress", "failed"),
            "canceled", List.of("canceled"));

    private TransitionCallers callers;

    @BeforeEach
    void callers() {
        if (callers == null) {
            callers = new TransitionCallers();
        }
    }

    Stream<Arguments> everyMove() {
        List<Arguments> moves = new ArrayList<>();
        for (String from : STATUSES) {
            for (String to : STATUSES) {
                if (!from.equals(to)) {
                    for (Kind kind : Kind.values()) {
                        moves.add(Arguments.of(from, to, kind));
                    }
                }
            }
        }
        return moves.stream();
    }

    @ParameterizedTest(name = "{0} -> {1} by {2}")
    @MethodSource("everyMove")
    void moveIsAllowedOnlyAsTheTableSays(String from, String to, Kind kind) {
        // one title per case: the same creator may not have two open tasks with one title (duplicate-task)
        long id = Api.task(callers.orchestrator, "move " + from + " to " + to + " by " + kind, callers.worker.name());
        for (String step : PATH.get(from)) {
            TestAgent actor = step.equals("canceled") ? callers.orchestrator : callers.worker;
            Map<String, Object> body = step.equals("blocked")
                    ? Map.of("status", step, "comment", "waiting on input")
                    : Map.of("status", step);
            actor.request().body(body).patch("/api/v1/tasks/" + id).then().statusCode(200).body("status", is(step));
        }
        // a move to blocked, and a rejection (back from in_review), carry their reason
        boolean reason = to.equals("blocked") || (from.equals("in_review") && (to.equals("in_progress") || to.equals("todo")));
        Map<String, Object> body = reason ? Map.of("status", to, "comment", "because") : Map.of("status", to);
        var request = callers.agent(kind).request();
        String who = TABLE.get(from).get(to);
        int expected;
        // (a task canceled before anyone started it has no former holder: its assignee is answered as before)
        if (kind == Kind.OTHER_WORKER || (kind == Kind.REVIEWER && !from.equals("in_review"))) {
            expected = 403; // a worker never touches another agent's task, a reviewer only tasks in review
        } else if (who == null) {
            expected = 409;
        } else {
            boolean allowed = switch (kind) {
                case ASSIGNEE -> who.contains("A");
                case ORCHESTRATOR -> who.contains("P") || who.contains("R");
                case REVIEWER -> who.contains("R");
                case OPERATOR -> true;
                case OTHER_WORKER -> false;
            };
            expected = allowed ? 200 : 403;
        }
        var response = request.body(body).patch("/api/v1/tasks/" + id).then().statusCode(expected);
        switch (expected) {
            case 200 -> response.body("status", is(to));
            case 403 -> response.body("code", is("forbidden"));
            default -> response.body("code", is("invalid-transition"));
        }
    }
}
