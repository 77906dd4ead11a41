package dev.olympus.task;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.TimeTravel;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** The review claim under concurrency, and velocity's review counts over a seeded history. */
@QuarkusTest
class ReviewClaimTest {

    record Claimed(long id, String assignee) {}

    @Inject
    Pool pool;

    @Test
    void aHeartbeatNamingAHeldReviewRenewsItsLease() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent doer = Api.agent("worker");
        TestAgent reviewer = Api.agent("worker", Map.of("capabilities", List.of("review")));
        TestAgent rival = Api.agent("worker", Map.of("capabilities", List.of("review")));
        long id = Api.task(orchestrator, Map.of("title", "review held by heartbeats", "assignee", doer.name(), "reviewRequired", true));
        patch(doer, id, Map.of("status", "in_progress"));
        patch(doer, id, Map.of("status", "in_review", "result", "r"));
        claimReviewOf(reviewer, id);

        // The review lease is about to run out while the reviewer keeps working and says so.
        TimeTravel.backdate(pool, "tasks", "review_lease_expires_at", Duration.ofSeconds(-5), "id = $1", id);
        JsonPath beat = reviewer.request().body(Map.of("status", "working", "taskId", id)).post("/api/v1/agents/me/heartbeat")
                .then().statusCode(200).extract().jsonPath();
        Instant renewed = Instant.parse(beat.getString("leaseExpiresAt"));
        assertThat(renewed).isAfter(Instant.now().plus(Duration.ofMinutes(4)));
        JsonPath task = Api.admin().get("/api/v1/tasks/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(task.getString("reviewHolder")).isEqualTo(reviewer.name());
        assertThat(Instant.parse(task.getString("reviewLeaseExpiresAt"))).isEqualTo(renewed);
        // the work lease and the task are untouched
        assertThat(task.getString("status")).isEqualTo("in_review");
        assertThat(task.getString("assignee")).isEqualTo(doer.name());
        // a minute later the unrenewed lease would have expired: another reviewer still cannot take the review
        pool.preparedQuery("UPDATE tasks SET review_lease_expires_at = review_lease_expires_at - interval '1 minute' WHERE id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(id)).await().atMost(Duration.ofSeconds(10));
        assertThat(claimAllReviews(rival)).doesNotContain(id);

        // Silent past its lease, the reviewer loses the review to another one; its heartbeat then says so.
        TimeTravel.backdate(pool, "tasks", "review_lease_expires_at", Duration.ofSeconds(1), "id = $1", id);
        claimReviewOf(rival, id);
        reviewer.request().body(Map.of("status", "working", "taskId", id)).post("/api/v1/agents/me/heartbeat")
                .then().statusCode(409).body("code", is("lease-lost"));
        rival.request().body(Map.of("taskId", id)).post("/api/v1/agents/me/heartbeat").then().statusCode(200);
        // any move ends the review: the holder's heartbeat no longer renews anything
        patch(rival, id, Map.of("status", "done"));
        rival.request().body(Map.of("taskId", id)).post("/api/v1/agents/me/heartbeat")
                .then().statusCode(409).body("code", is("lease-lost"));
    }

    /** Claims reviews until {@code reviewer} gets task {@code id} (tasks other tests left in review come first). */
    private static void claimReviewOf(TestAgent reviewer, long id) {
        for (int i = 0; i < 500; i++) {
            JsonPath claimed = reviewer.request().body(Map.of("review", true)).post("/api/v1/tasks/claim")
                    .then().statusCode(200).extract().jsonPath();
            if (claimed.getLong("id") == id) {
                assertThat(claimed.getString("reviewHolder")).isEqualTo(reviewer.name());
                return;
            }
        }
        throw new AssertionError("task " + id + " was never offered for review");
    }

    /** Claims every review there is for {@code reviewer} now. @return the ids claimed */
    private static List<Long> claimAllReviews(TestAgent reviewer) {
        List<Long> ids = new ArrayList<>();
        var response = reviewer.request().body(Map.of("review", true)).post("/api/v1/tasks/claim");
        while (response.statusCode() == 200) {
            ids.add(response.jsonPath().getLong("id"));
            response = reviewer.request().body(Map.of("review", true)).post("/api/v1/tasks/claim");
        }
        assertThat(response.statusCode()).isEqualTo(204);
        return ids;
    }

    @Test
    void twoReviewClaimersNeverReviewOneTaskTwiceNorTheirOwn() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent a = Api.agent("worker", Map.of("capabilities", List.of("review")));
        TestAgent b = Api.agent("worker", Map.of("capabilities", List.of("review")));
        TestAgent doer = Api.agent("worker");
        Set<Long> ours = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            TestAgent assignee = i < 30 ? a : i < 60 ? b : doer;
            long id = Api.task(orchestrator, Map.of("title", "to review " + i, "assignee", assignee.name(), "reviewRequired", true));
            assignee.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + id).then().statusCode(200);
            assignee.request().body(Map.of("status", "in_review", "result", "r" + i)).patch("/api/v1/tasks/" + id)
                    .then().statusCode(200);
            ours.add(id);
        }
        var first = CompletableFuture.supplyAsync(() -> reviewAll(a, ours));
        var second = CompletableFuture.supplyAsync(() -> reviewAll(b, ours));
        List<Claimed> byA = first.join();
        List<Claimed> byB = second.join();
        Set<Long> seen = new HashSet<>();
        for (Claimed c : byA) {
            assertThat(c.assignee()).isNotEqualTo(a.name());
            assertThat(seen.add(c.id())).as("task %d reviewed twice", c.id()).isTrue();
        }
        for (Claimed c : byB) {
            assertThat(c.assignee()).isNotEqualTo(b.name());
            assertThat(seen.add(c.id())).as("task %d reviewed twice", c.id()).isTrue();
        }
        assertThat(seen).containsAll(ours);
        for (long id : ours) {
            JsonPath task = Api.admin().get("/api/v1/tasks/" + id).then().statusCode(200).extract().jsonPath();
            assertThat(task.getString("status")).isEqualTo("done");
            assertThat(task.getString("reviewedBy")).isNotEqualTo(task.getString("assignee")).isIn(a.name(), b.name());
        }
    }

    /** Claims reviews and accepts them until there is none left for this reviewer. */
    private static List<Claimed> reviewAll(TestAgent reviewer, Set<Long> ours) {
        List<Claimed> claimed = new ArrayList<>();
        while (true) {
            var response = reviewer.request().body(Map.of("review", true)).post("/api/v1/tasks/claim");
            if (response.statusCode() == 204) {
                return claimed;
            }
            JsonPath task = response.then().statusCode(200).body("status", is("in_review"))
                    .body("reviewHolder", is(reviewer.name())).extract().jsonPath();
            claimed.add(new Claimed(task.getLong("id"), task.getString("assignee")));
            // tasks other tests left in review are claimed too; only ours must be accepted here
            var accept = reviewer.request().body(Map.of("status", "done")).patch("/api/v1/tasks/" + task.getLong("id")).then();
            if (ours.contains(task.getLong("id"))) {
                accept.statusCode(200);
            }
        }
    }

    @Test
    void velocityCountsAcceptedRejectedAndFirstPassAcceptanceExactly() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        Instant since = Instant.now().minus(1, ChronoUnit.MINUTES);
        // self-declared done, no review
        long selfDone = task(orchestrator, worker, "self done", false);
        patch(worker, selfDone, Map.of("status", "done"));
        // accepted on the first pass
        long firstPass = task(orchestrator, worker, "first pass", true);
        patch(worker, firstPass, Map.of("status", "in_review"));
        patch(orchestrator, firstPass, Map.of("status", "done"));
        // rejected once, then accepted
        long secondPass = task(orchestrator, worker, "second pass", true);
        patch(worker, secondPass, Map.of("status", "in_review"));
        patch(orchestrator, secondPass, Map.of("status", "in_progress", "comment", "missing tests"));
        patch(worker, secondPass, Map.of("status", "in_review"));
        patch(orchestrator, secondPass, Map.of("status", "done"));
        // rejected back to todo
        long sentBack = task(orchestrator, worker, "sent back", true);
        patch(worker, sentBack, Map.of("status", "in_review"));
        patch(orchestrator, sentBack, Map.of("status", "todo", "comment", "wrong approach"));
        var total = Api.admin().queryParam("assignee", worker.name()).queryParam("since", since.toString())
                .get("/api/v1/metrics/velocity").then().statusCode(200).extract().jsonPath();
        assertThat(total.getLong("total.completed")).isEqualTo(3);
        assertThat(total.getLong("total.accepted")).isEqualTo(2);
        assertThat(total.getLong("total.rejected")).isEqualTo(2);
        assertThat(total.getDouble("total.firstPassAcceptance")).isEqualTo(0.5);
    }

    private static long task(TestAgent orchestrator, TestAgent worker, String title, boolean review) {
        Map<String, Object> body = new HashMap<>(Map.of("title", title, "assignee", worker.name(), "reviewRequired", review));
        long id = Api.task(orchestrator, body);
        patch(worker, id, Map.of("status", "in_progress"));
        return id;
    }

    private static void patch(TestAgent agent, long id, Map<String, Object> body) {
        agent.request().body(body).patch("/api/v1/tasks/" + id).then().statusCode(200);
    }
}
