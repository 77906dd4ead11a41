package dev.olympus.task;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.ProblemShape;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/** POST /api/v1/plans: all or nothing, refs, cycles, duplicates and the creation budget over the whole plan. */
@QuarkusTest
@TestProfile(PlanTest.SmallBudget.class)
@ExtendWith(ProblemShape.class)
class PlanTest {

    /** A budget of 200 per minute, so that plans can exceed it. */
    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("olympus.tasks.create-budget-per-minute", "200", "olympus.tasks.create-budget-window", "1m");
        }
    }

    private static List<Map<String, Object>> chain(String prefix, int n) {
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> task = new HashMap<>(Map.of("ref", "t" + i, "title", prefix + " " + i));
            if (i > 0) {
                task.put("dependsOn", List.of("t" + (i - 1)));
            }
            tasks.add(task);
        }
        return tasks;
    }

    private static int created(TestAgent creator) {
        return Api.admin().queryParam("createdBy", creator.name()).queryParam("limit", 200).get("/api/v1/tasks")
                .then().statusCode(200).extract().jsonPath().getList("items").size();
    }

    @Test
    void aPlanIsCreatedInOrderWithRefsResolvedAndItsParent() {
        TestAgent orchestrator = Api.agent("orchestrator");
        long parent = Api.task(orchestrator, Map.of("title", "the plan"));
        List<Map<String, Object>> tasks = chain("step", 3);
        tasks.get(2).put("dependsOn", List.of("t0", "t1", (int) parent));
        var body = orchestrator.request().body(Map.of("parentId", parent, "tasks", tasks)).post("/api/v1/plans")
                .then().statusCode(201).body("tasks.title", contains("step 0", "step 1", "step 2"))
                .body("tasks.parentId", contains((int) parent, (int) parent, (int) parent))
                .extract().jsonPath();
        long first = body.getLong("tasks[0].id");
        long second = body.getLong("tasks[1].id");
        assertThat(body.getList("tasks[2].dependsOn", Long.class)).containsExactly(parent, first, second);
        Api.admin().get("/api/v1/tasks/" + parent).then().body("children.total", is(3)).body("children.open", is(3));
    }

    @Test
    void theHundredAndFiftiethTaskInvalidCreatesNothing() {
        TestAgent orchestrator = Api.agent("orchestrator");
        List<Map<String, Object>> tasks = chain("long plan", 160);
        tasks.get(149).put("title", "   ");
        orchestrator.request().body(Map.of("tasks", tasks)).post("/api/v1/plans").then().statusCode(400)
                .body("errors[0].field", is("tasks[149].title"));
        assertThat(created(orchestrator)).isZero();
    }

    @Test
    void badPlansNameTheTaskAndField() {
        TestAgent orchestrator = Api.agent("orchestrator");
        List<Map<String, Object>> unknownRef = chain("unknown ref", 3);
        unknownRef.get(2).put("dependsOn", List.of("nope"));
        expect400(orchestrator, unknownRef, "tasks[2].dependsOn[0]");
        List<Map<String, Object>> twice = chain("ref twice", 3);
        twice.get(2).put("ref", "t0");
        expect400(orchestrator, twice, "tasks[2].ref");
        List<Map<String, Object>> self = chain("self", 3);
        self.get(1).put("dependsOn", List.of("t1"));
        expect400(orchestrator, self, "tasks[1].dependsOn[0]");
        expect400(orchestrator, chain("too many", 201), "tasks");
        List<Map<String, Object>> missingId = chain("missing id", 2);
        missingId.get(1).put("dependsOn", List.of(999_999_999));
        expect400(orchestrator, missingId, "tasks[1].dependsOn[0]");
        List<Map<String, Object>> cycle = chain("cycle", 3);
        cycle.get(0).put("dependsOn", List.of("t2"));
        orchestrator.request().body(Map.of("tasks", cycle)).post("/api/v1/plans").then().statusCode(409)
                .body("code", is("dependency-cycle"));
        List<Map<String, Object>> dup = chain("dup", 3);
        dup.get(2).put("title", "dup 0");
        orchestrator.request().body(Map.of("tasks", dup)).post("/api/v1/plans").then().statusCode(409)
                .body("code", is("duplicate-task")).body("taskIndex", is(2));
        Api.agent("worker").request().body(Map.of("tasks", chain("worker", 1))).post("/api/v1/plans").then().statusCode(403);
        assertThat(created(orchestrator)).isZero();
    }

    private static void expect400(TestAgent orchestrator, List<Map<String, Object>> tasks, String field) {
        orchestrator.request().body(Map.of("tasks", tasks)).post("/api/v1/plans").then().statusCode(400)
                .body("code", is("validation-failed")).body("errors[0].field", is(field));
    }

    @Test
    void aPlanLargerThanTheRemainingBudgetCreatesNothing() {
        TestAgent orchestrator = Api.agent("orchestrator");
        orchestrator.request().body(Map.of("tasks", chain("first half", 150))).post("/api/v1/plans").then().statusCode(201);
        orchestrator.request().body(Map.of("tasks", chain("second half", 60))).post("/api/v1/plans").then().statusCode(429)
                .body("code", is("rate-limited"));
        assertThat(created(orchestrator)).isEqualTo(150);
    }

    @Test
    void concurrentPlansOfOneOrchestratorNeverExceedTheBudget() throws Exception {
        TestAgent orchestrator = Api.agent("orchestrator");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int p = 0; p < 6; p++) {
                String prefix = "concurrent " + p;
                Callable<Integer> post = () -> orchestrator.request().body(Map.of("tasks", chain(prefix, 60)))
                        .post("/api/v1/plans").then().extract().statusCode();
                answers.add(pool.submit(post));
            }
            int accepted = 0;
            for (Future<Integer> answer : answers) {
                int status = answer.get();
                assertThat(status).isIn(201, 429);
                accepted += status == 201 ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(3); // 3 x 60 = 180 fit in 200, a fourth would not
            int total = 0;
            String cursor = null;
            do {
                var spec = Api.admin().queryParam("createdBy", orchestrator.name()).queryParam("limit", 200);
                if (cursor != null) {
                    spec.queryParam("cursor", cursor);
                }
                var page = spec.get("/api/v1/tasks").then().statusCode(200).extract().jsonPath();
                total += page.getList("items").size();
                cursor = page.getString("nextCursor");
            } while (cursor != null);
            assertThat(total).isEqualTo(180);
        } finally {
            pool.shutdownNow();
        }
    }
}
