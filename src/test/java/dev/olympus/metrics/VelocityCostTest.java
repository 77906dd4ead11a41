package dev.olympus.metrics;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Cost in velocity over a seeded history equals the hand-computed exact decimals. */
@QuarkusTest
class VelocityCostTest {

    private static final JsonPathConfig EXACT = JsonPathConfig.jsonPathConfig()
            .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL);

    private static BigDecimal money(Response response, String path) {
        Object value = response.jsonPath(EXACT).get(path);
        return value == null ? null : new BigDecimal(value.toString());
    }

    /** Claims the task, reports {@code costs} on it (one report each), then moves it to {@code end}. */
    private static void work(TestAgent main, TestAgent worker, String end, String... costs) {
        String label = Api.uniqueName("vc");
        long id = Api.task(main, Map.of("title", "cost " + label, "assignee", worker.name(), "labels", List.of(label)));
        worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim").then().statusCode(200);
        for (String cost : costs) {
            worker.request().body("{\"usage\": {\"costUsd\": " + cost + "}}").patch("/api/v1/tasks/" + id).then().statusCode(200);
        }
        if (end.equals("canceled")) {
            main.request().body(Map.of("reason", "not needed")).post("/api/v1/tasks/" + id + "/cancel").then().statusCode(200);
        } else {
            worker.request().body(Map.of("status", end, "result", "r")).patch("/api/v1/tasks/" + id).then().statusCode(200);
        }
    }

    @Test
    void costPerCompletedTaskAndCostOnFailedShareAreExact() {
        TestAgent main = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        work(main, worker, "done", "0.1", "0.2");          // 0.3 delivered
        work(main, worker, "done", "1.000001");            // 1.000001 delivered
        work(main, worker, "done", "0.000002");            // 0.000002 delivered
        work(main, worker, "failed", "0.7", "0.05");       // 0.75 thrown away
        work(main, worker, "canceled", "0.25");            // 0.25 thrown away
        // Spend on no task counts in the agent's cost, not in the creator's.
        worker.request().body("{\"usage\": {\"costUsd\": 0.5}}").post("/api/v1/agents/me/heartbeat").then().statusCode(200);

        Instant until = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);
        String range = "since=" + until.minus(2, ChronoUnit.DAYS) + "&until=" + until + "&bucket=day";

        // By creator: cost 2.300003 over 3 completed; 1.0 of it on failed or canceled tasks.
        Response byCreator = main.request().get("/api/v1/metrics/velocity?" + range + "&createdBy=" + main.name());
        byCreator.then().statusCode(200);
        assertThat(money(byCreator, "total.costUsd")).isEqualByComparingTo("2.300003");
        assertThat(money(byCreator, "total.costPerCompletedTask")).isEqualByComparingTo("0.766668"); // 0.766667666… half-even
        assertThat(money(byCreator, "total.costOnFailedShare")).isEqualByComparingTo("0.434782"); // 1 / 2.300003 = 0.4347821…
        BigDecimal inBuckets = byCreator.jsonPath(EXACT).getList("buckets.costUsd").stream()
                .map(v -> new BigDecimal(v.toString())).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(inBuckets).isEqualByComparingTo("2.300003");

        // By agent (the reporter): the task-less 0.5 too.
        Response byAgent = main.request().get("/api/v1/metrics/velocity?" + range + "&assignee=" + worker.name());
        assertThat(money(byAgent, "total.costUsd")).isEqualByComparingTo("2.800003");
        assertThat(money(byAgent, "total.costPerCompletedTask")).isEqualByComparingTo("0.933334"); // 0.9333343…
        assertThat(money(byAgent, "total.costOnFailedShare")).isEqualByComparingTo("0.357142"); // 1 / 2.800003 = 0.35714247…
        assertThat(byAgent.asString()).contains("\"costUsd\":2.800003");

        // Nobody's: zero cost, undefined ratios.
        TestAgent idle = Api.agent("orchestrator");
        Response none = main.request().get("/api/v1/metrics/velocity?" + range + "&createdBy=" + idle.name());
        assertThat(money(none, "total.costUsd")).isEqualByComparingTo("0");
        assertThat(none.jsonPath().getString("total.costPerCompletedTask")).isNull();
        assertThat(none.jsonPath().getString("total.costOnFailedShare")).isNull();
    }
}
