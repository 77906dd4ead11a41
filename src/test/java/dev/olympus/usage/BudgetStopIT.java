package dev.olympus.usage;

import dev.olympus.testing.OlympusProcess;
import dev.olympus.testing.TestDatabase;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The system budget stops spending across instances: workers report usage concurrently on two packaged instances
 * until their heartbeats are refused; the budget is crossed by at most one report, every non-operator agent is paused
 * exactly once, and every held task is released.
 */
class BudgetStopIT {

    private static final String ADMIN_KEY = "olk_it-admin-key-budget-0123456789abcdefghij";
    private static final int WORKERS = 6;
    private static final BigDecimal BUDGET = new BigDecimal("1");
    private static final BigDecimal REPORT = new BigDecimal("0.07");

    private static RequestSpecification as(OlympusProcess instance, String key) {
        return RestAssured.given().baseUri(instance.baseUrl()).header("Authorization", "Bearer " + key)
                .contentType(ContentType.JSON);
    }

    @Test
    void concurrentReportsOnTwoInstancesStopEveryNonOperatorOnceWithAtMostOneReportOver() throws Exception {
        Map<String, String> config = new HashMap<>(TestDatabase.get().newDatabase("budget"));
        config.put("olympus.bootstrap-key", ADMIN_KEY);
        try (OlympusProcess a = OlympusProcess.launch(config); OlympusProcess b = OlympusProcess.launch(config)) {
            a.awaitReady(Duration.ofSeconds(60));
            b.awaitReady(Duration.ofSeconds(60));
            List<OlympusProcess> instances = List.of(a, b);

            String mainKey = as(a, ADMIN_KEY).body(Map.of("name", "main", "role", "orchestrator"))
                    .post("/api/v1/agents").then().statusCode(201).extract().path("apiKey");
            List<String> keys = new ArrayList<>();
            List<Long> tasks = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                String name = "worker-" + i;
                keys.add(as(a, ADMIN_KEY).body(Map.of("name", name, "role", "worker")).post("/api/v1/agents")
                        .then().statusCode(201).extract().path("apiKey"));
                tasks.add(as(a, mainKey).body(Map.of("title", "work " + i, "assignee", name)).post("/api/v1/tasks")
                        .then().statusCode(201).extract().jsonPath().getLong("id"));
                as(instances.get(i % 2), keys.get(i)).body(Map.of()).post("/api/v1/tasks/claim")
                        .then().statusCode(200).body("id", is(tasks.get(i).intValue()));
            }
            as(b, ADMIN_KEY).body(Map.of("costUsd", BUDGET, "period", "day")).put("/api/v1/system/budget").then().statusCode(200);

            // Every worker reports on its task, alternating instances, until a report is refused.
            CountDownLatch start = new CountDownLatch(1);
            Map<Integer, Integer> refusedWith = new ConcurrentHashMap<>();
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                int w = i;
                workers.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int n = 0; n < 100; n++) {
                        int status = as(instances.get((w + n) % 2), keys.get(w))
                                .body("{\"taskId\": " + tasks.get(w) + ", \"usage\": {\"costUsd\": " + REPORT + ", \"outputTokens\": 100}}")
                                .post("/api/v1/agents/me/heartbeat").statusCode();
                        if (status != 200) {
                            refusedWith.put(w, status);
                            return;
                        }
                    }
                }));
            }
            start.countDown();
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

            // Every worker was stopped: 409 lease-lost for the report that crossed the budget, 403 for reports
            // that waited for the budget lock and then found their task released.
            assertThat(refusedWith).hasSize(WORKERS);
            assertThat(refusedWith.values()).allMatch(status -> status == 403 || status == 409);

            Response budget = as(a, ADMIN_KEY).get("/api/v1/system/budget");
            budget.then().statusCode(200).body("exhausted", is(true));
            BigDecimal spent = new BigDecimal(budget.jsonPath(JsonPathConfig.jsonPathConfig()
                    .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL)).get("spentUsd").toString());
            assertThat(spent).isGreaterThanOrEqualTo(BUDGET).isLessThan(BUDGET.add(REPORT));

            List<Map<String, Object>> events = as(b, ADMIN_KEY).get("/api/v1/events?after=0&limit=200")
                    .then().statusCode(200).extract().jsonPath().getList("items");
            assertThat(events.stream().filter(e -> "budget.exhausted".equals(e.get("type")))).hasSize(1);
            List<Object> paused = events.stream().filter(e -> "agent.paused".equals(e.get("type"))).map(e -> e.get("agent")).toList();
            List<String> expected = new ArrayList<>(List.of("main"));
            for (int i = 0; i < WORKERS; i++) {
                expected.add("worker-" + i);
            }
            assertThat(paused).containsExactlyInAnyOrderElementsOf(expected);

            for (int i = 0; i < WORKERS; i++) {
                as(b, ADMIN_KEY).get("/api/v1/agents/worker-" + i).then()
                        .body("state", is("paused")).body("stateReason", is("budget-exhausted"));
                as(a, ADMIN_KEY).get("/api/v1/tasks/" + tasks.get(i)).then()
                        .body("status", is("todo")).body("assignee", is("worker-" + i));
                as(instances.get(i % 2), keys.get(i)).body(Map.of()).post("/api/v1/tasks/claim").then().statusCode(204);
            }
            as(a, ADMIN_KEY).get("/api/v1/agents/admin").then().body("state", is("active"));

            // Raising the budget resumes everyone at once; claims work again.
            as(a, ADMIN_KEY).body(Map.of("costUsd", 10, "period", "day")).put("/api/v1/system/budget").then().statusCode(200);
            as(b, keys.get(0)).body(Map.of()).post("/api/v1/tasks/claim").then().statusCode(200)
                    .body("id", is(tasks.get(0).intValue()));
        }
    }
}
