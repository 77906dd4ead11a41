package dev.olympus.task;

import dev.olympus.testing.TimeTravel;
import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.ProblemShape;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** Leases: the fencing epoch on PATCH, renewal by heartbeats and by the holder's writes, epochs of new holdings. */
@QuarkusTest
@ExtendWith(ProblemShape.class)
class LeaseTest {

    @Inject
    Pool pool;

    private Response claim(TestAgent worker, String label) {
        return worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim");
    }

    private Instant lease(long id) {
        return pool.preparedQuery("SELECT lease_expires_at FROM tasks WHERE id = $1").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getOffsetDateTime(0).toInstant();
    }

    private void expireLease(long id) {
        TimeTravel.backdate(pool, "tasks", "lease_expires_at", Duration.ofSeconds(1), "id = $1", id);
    }

    @Test
    void aPatchWithTheCurrentEpochPassesAndAStaleOneIsLeaseLost() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("lease");
        long id = Api.task(orchestrator, Map.of("labels", List.of(label)));
        long epoch = claim(worker, label).then().statusCode(200).extract().jsonPath().getLong("leaseEpoch");

        worker.request().header("Olympus-Lease-Epoch", epoch + 1).body(Map.of("result", "stale"))
                .patch("/api/v1/tasks/" + id).then().statusCode(409).body("code", is("lease-lost"))
                .body("currentLeaseEpoch", is((int) epoch));
        worker.request().header("Olympus-Lease-Epoch", "soon").body(Map.of("result", "x"))
                .patch("/api/v1/tasks/" + id).then().statusCode(400);
        worker.request().header("Olympus-Lease-Epoch", epoch).body(Map.of("result", "fresh"))
                .patch("/api/v1/tasks/" + id).then().statusCode(200).body("result", is("fresh"));
    }

    @Test
    void everyNewHoldingBumpsTheEpoch() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        TestAgent other = Api.agent("worker");
        long id = Api.task(orchestrator, Map.of("assignee", worker.name()));
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + id).then().statusCode(200)
                .body("leaseEpoch", is(1));
        assertThat(Duration.between(Instant.now(), lease(id))).isGreaterThan(Duration.ofMinutes(4));
        // Reassigned while in progress: the new holder gets a new epoch, the old one's epoch is stale.
        orchestrator.request().body(Map.of("assignee", other.name())).patch("/api/v1/tasks/" + id).then().statusCode(200)
                .body("leaseEpoch", is(2));
        orchestrator.request().body(Map.of("assignee", worker.name())).patch("/api/v1/tasks/" + id).then().statusCode(200)
                .body("leaseEpoch", is(3));
        worker.request().header("Olympus-Lease-Epoch", 1).body(Map.of("status", "done"))
                .patch("/api/v1/tasks/" + id).then().statusCode(409).body("code", is("lease-lost"));
        // The fencing check comes after permission: a caller that is not the assignee at all is simply forbidden.
        other.request().header("Olympus-Lease-Epoch", 2).body(Map.of("status", "done"))
                .patch("/api/v1/tasks/" + id).then().statusCode(403);
    }

    @Test
    void theHoldersCommentsAndPatchesRenewTheLease() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("lease");
        long id = Api.task(orchestrator, Map.of("labels", List.of(label)));
        claim(worker, label).then().statusCode(200);

        expireLease(id);
        worker.request().body(Map.of("body", "still on it")).post("/api/v1/tasks/" + id + "/comments").then().statusCode(201);
        assertThat(lease(id)).isAfter(Instant.now().plus(Duration.ofMinutes(4)));

        expireLease(id);
        worker.request().body(Map.of("result", "half")).patch("/api/v1/tasks/" + id).then().statusCode(200);
        assertThat(lease(id)).isAfter(Instant.now().plus(Duration.ofMinutes(4)));

        // Someone else's comment proves nothing about the holder.
        expireLease(id);
        orchestrator.request().body(Map.of("body", "how is it going?")).post("/api/v1/tasks/" + id + "/comments").then().statusCode(201);
        assertThat(lease(id)).isBefore(Instant.now());
    }

    @Test
    void aHeartbeatNamingTheTaskRenewsItsLease() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("lease");
        long id = Api.task(orchestrator, Map.of("labels", List.of(label)));
        long epoch = claim(worker, label).then().statusCode(200).extract().jsonPath().getLong("leaseEpoch");
        expireLease(id);

        Response beat = worker.request().body(Map.of("status", "working", "taskId", id, "leaseEpoch", epoch, "note", "compiling"))
                .post("/api/v1/agents/me/heartbeat");
        beat.then().statusCode(200).body("taskId", is((int) id));
        Instant renewed = Instant.parse(beat.path("leaseExpiresAt"));
        assertThat(renewed).isAfter(Instant.now().plus(Duration.ofMinutes(4)));
        assertThat(lease(id)).isEqualTo(renewed);

        // A stale epoch, a task it does not hold, a task that does not exist.
        worker.request().body(Map.of("taskId", id, "leaseEpoch", epoch + 5)).post("/api/v1/agents/me/heartbeat")
                .then().statusCode(409).body("code", is("lease-lost"));
        long notMine = Api.task(orchestrator, Map.of());
        worker.request().body(Map.of("taskId", notMine)).post("/api/v1/agents/me/heartbeat")
                .then().statusCode(409).body("code", is("lease-lost"));
        worker.request().body(Map.of("taskId", Long.MAX_VALUE)).post("/api/v1/agents/me/heartbeat")
                .then().statusCode(404);
    }
}
