package dev.olympus.task;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class TaskConcurrencyTest {

    @Test
    void concurrentPatchesWithTheSameIfMatchLetExactlyOneThrough() throws Exception {
        TestAgent orchestrator = Api.agent("orchestrator");
        long id = Api.task(orchestrator, "contended", null);
        int writers = 20;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                String title = "writer " + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return orchestrator.request().header("If-Match", "\"1\"").body(Map.of("title", title))
                            .patch("/api/v1/tasks/" + id).statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            long ok = statuses.stream().filter(s -> s == 200).count();
            assertThat(ok).isEqualTo(1);
            assertThat(statuses).filteredOn(s -> s != 200).containsOnly(412);
            long version = orchestrator.request().get("/api/v1/tasks/" + id).jsonPath().getLong("version");
            assertThat(version).isEqualTo(1 + ok);
        }
    }
}
