package dev.olympus.ratelimit;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** The same creator posting an open task's normalised title again gets 409 duplicate-task. */
@QuarkusTest
class DuplicateTaskTest {

    @Test
    void titlesDifferingOnlyInCaseSpacingAndPunctuationAreDuplicatesUntilTheFirstIsDone() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long first = Api.task(orchestrator, "Write the parser", worker.name());

        for (String again : List.of("write the parser", "  WRITE   the\tParser ", "Write the parser!", "write, the parser.")) {
            orchestrator.request().body(Map.of("title", again)).post("/api/v1/tasks")
                    .then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("code", is("duplicate-task"))
                    .body("existingTaskId", is((int) first));
        }
        // Not a duplicate: other words, or another creator.
        Api.task(orchestrator, "Write the parser tests", null);
        Api.task(Api.agent("orchestrator"), "write the parser", null);

        // Once the first is done, the same title is a new task.
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + first).then().statusCode(200);
        worker.request().body(Map.of("status", "done", "result", "merged")).patch("/api/v1/tasks/" + first).then().statusCode(200);
        long second = Api.task(orchestrator, "write the PARSER", null);
        assertThat(second).isNotEqualTo(first);

        // ...and that new open one is what a further duplicate points at.
        orchestrator.request().body(Map.of("title", "Write the parser")).post("/api/v1/tasks")
                .then().statusCode(409).body("existingTaskId", is((int) second));

        // Every refusal is counted per agent and code, for the OlympusTaskRejectionsSpiking alert.
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("olympus_task_rejections_total\\{[^}]*agent=\"" + orchestrator.name()
                + "\"[^}]*code=\"duplicate-task\"[^}]*} 5\\.0|olympus_task_rejections_total\\{[^}]*code=\"duplicate-task\"[^}]*agent=\""
                + orchestrator.name() + "\"[^}]*} 5\\.0");
    }

    @Test
    void aRenamedTaskIsComparedByItsNewTitle() {
        TestAgent orchestrator = Api.agent("orchestrator");
        long id = Api.task(orchestrator, "draft name", null);
        orchestrator.request().body(Map.of("title", "Final Name")).patch("/api/v1/tasks/" + id).then().statusCode(200);
        Api.task(orchestrator, "draft name", null);
        orchestrator.request().body(Map.of("title", "final name")).post("/api/v1/tasks")
                .then().statusCode(409).body("existingTaskId", is((int) id));
    }

    @Test
    void concurrentIdenticalCreatesMakeOneTask() throws Exception {
        TestAgent orchestrator = Api.agent("orchestrator");
        int writers = 12;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return orchestrator.request().body(Map.of("title", "Race me")).post("/api/v1/tasks").statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
            assertThat(statuses).filteredOn(s -> s != 201).containsOnly(409);
        }
        orchestrator.request().get("/api/v1/tasks?createdBy=me").then().statusCode(200)
                .body("items.size()", is(1));
    }
}
