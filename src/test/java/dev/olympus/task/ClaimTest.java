package dev.olympus.task;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/** The claim rules of API.md, one small test each. Claims are narrowed to labels of their own (the database is shared). */
@QuarkusTest
class ClaimTest {

    private static Response claim(TestAgent worker, List<String> labels) {
        return worker.request().body(Map.of("labels", labels)).post("/api/v1/tasks/claim");
    }

    @Test
    void takesTheHighestPriorityThenTheOldestAndStartsItWithALease() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("claim");
        long lowOld = Api.task(orchestrator, Map.of("labels", List.of(label), "priority", "low"));
        long highOld = Api.task(orchestrator, Map.of("labels", List.of(label), "priority", "high"));
        long highNew = Api.task(orchestrator, Map.of("labels", List.of(label), "priority", "high"));

        Response first = claim(worker, List.of(label));
        first.then().statusCode(200)
                .header("ETag", notNullValue())
                .body("id", is((int) highOld))
                .body("status", is("in_progress"))
                .body("assignee", is(worker.name()))
                .body("leaseEpoch", is(1))
                .body("startedAt", notNullValue());
        Instant lease = Instant.parse(first.path("leaseExpiresAt"));
        assertThat(Duration.between(Instant.now(), lease)).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(6));

        claim(worker, List.of(label)).then().statusCode(200).body("id", is((int) highNew));
        claim(worker, List.of(label)).then().statusCode(200).body("id", is((int) lowOld));
        claim(worker, List.of(label)).then().statusCode(204);
    }

    @Test
    void leavesTheStatusChangeAndTheAssignmentInTheHistory() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("claim");
        long id = Api.task(orchestrator, Map.of("labels", List.of(label)));
        claim(worker, List.of(label)).then().statusCode(200);

        Response history = orchestrator.request().get("/api/v1/tasks/" + id + "/history");
        assertThat(history.jsonPath().getList("items.type", String.class))
                .containsExactly("task.created", "task.status_changed", "task.assigned");
        assertThat(history.jsonPath().getList("items.actor", String.class)).endsWith(worker.name(), worker.name());
        assertThat(history.jsonPath().getString("items[1].data.to")).isEqualTo("in_progress");
        assertThat(history.jsonPath().getString("items[2].data.to")).isEqualTo(worker.name());
    }

    @Test
    void aTaskAlreadyAssignedToTheCallerLeavesNoAssignmentEvent() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker", Map.of("capabilities", List.of("go")));
        String label = Api.uniqueName("claim");
        // Assigned to the caller: taken whatever its labels and the caller's capabilities.
        long id = Api.task(orchestrator, Map.of("labels", List.of(label, "cobol"), "assignee", worker.name()));
        claim(worker, List.of(label)).then().statusCode(200).body("id", is((int) id));
        assertThat(orchestrator.request().get("/api/v1/tasks/" + id + "/history").jsonPath().getList("items.type", String.class))
                .containsExactly("task.created", "task.status_changed");
    }

    @Test
    void unassignedTasksMatchByCapabilities() {
        TestAgent orchestrator = Api.agent("orchestrator");
        String label = Api.uniqueName("claim");
        String java = Api.uniqueName("java");
        TestAgent javaWorker = Api.agent("worker", Map.of("capabilities", List.of(java)));
        TestAgent generalist = Api.agent("worker");
        long rust = Api.task(orchestrator, Map.of("labels", List.of(label, "rust"), "priority", "critical"));
        long javaTask = Api.task(orchestrator, Map.of("labels", List.of(label, java)));

        // Shares no label with the worker's capabilities: not for it, even though it is older and more urgent.
        claim(javaWorker, List.of(label)).then().statusCode(200).body("id", is((int) javaTask));
        claim(javaWorker, List.of(label)).then().statusCode(204);
        // A worker without capabilities takes anything.
        claim(generalist, List.of(label)).then().statusCode(200).body("id", is((int) rust));
    }

    @Test
    void anUnlabelledTaskMatchesAnyWorker() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker", Map.of("capabilities", List.of(Api.uniqueName("cap"))));
        long mine = Api.task(orchestrator, Map.of("priority", "critical"));
        // Without narrowing labels the claim may first take older unlabelled critical tasks of other tests.
        for (int i = 0; i < 100; i++) {
            Response claimed = worker.request().post("/api/v1/tasks/claim");
            assertThat(claimed.statusCode()).isEqualTo(200);
            if (claimed.jsonPath().getLong("id") == mine) {
                return;
            }
            assertThat(claimed.jsonPath().getList("labels")).isEmpty();
        }
        throw new AssertionError("the unlabelled task was never claimed");
    }

    @Test
    void othersTasksAndTasksWithUnmetDependenciesAreNotClaimed() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        TestAgent other = Api.agent("worker");
        String label = Api.uniqueName("claim");
        long blocker = Api.task(orchestrator, Map.of("labels", List.of("elsewhere"), "assignee", other.name()));
        Api.task(orchestrator, Map.of("labels", List.of(label), "assignee", other.name(), "priority", "critical"));
        long waiting = Api.task(orchestrator, Map.of("labels", List.of(label), "dependsOn", List.of(blocker), "priority", "critical"));
        long free = Api.task(orchestrator, Map.of("labels", List.of(label), "priority", "low"));

        claim(worker, List.of(label)).then().statusCode(200).body("id", is((int) free));
        claim(worker, List.of(label)).then().statusCode(204);

        other.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + blocker).then().statusCode(200);
        other.request().body(Map.of("status", "done")).patch("/api/v1/tasks/" + blocker).then().statusCode(200);
        claim(worker, List.of(label)).then().statusCode(200).body("id", is((int) waiting)).body("ready", is(true));
    }

    @Test
    void theWipLimitMakesClaimsAnswer204AndManualStarts409() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker", Map.of("wipLimit", 1));
        String label = Api.uniqueName("claim");
        long first = Api.task(orchestrator, Map.of("labels", List.of(label), "priority", "high"));
        Api.task(orchestrator, Map.of("labels", List.of(label)));
        long assigned = Api.task(orchestrator, Map.of("labels", List.of("manual"), "assignee", worker.name()));

        claim(worker, List.of(label)).then().statusCode(200).body("id", is((int) first));
        claim(worker, List.of(label)).then().statusCode(204);
        worker.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + assigned)
                .then().statusCode(409).body("code", is("wip-limit")).body("wipLimit", is(1));

        worker.request().body(Map.of("status", "done")).patch("/api/v1/tasks/" + first).then().statusCode(200);
        claim(worker, List.of(label)).then().statusCode(200);
    }

    @Test
    void theBodyIsOptionalAndObserversMayNotClaim() {
        TestAgent observer = Api.agent("observer");
        observer.request().post("/api/v1/tasks/claim").then().statusCode(403).body("code", is("forbidden"));
        TestAgent worker = Api.agent("worker");
        worker.request().body(Map.of("labels", List.of("not a label!"))).post("/api/v1/tasks/claim")
                .then().statusCode(400).body("code", is("validation-failed"));
        // No body at all: a plain claim (200 or 204 depending on what other tests left).
        assertThat(io.restassured.RestAssured.given().header("Authorization", "Bearer " + worker.key())
                .post("/api/v1/tasks/claim").statusCode()).isIn(200, 204);
        worker.request().contentType("text/plain").body("labels").post("/api/v1/tasks/claim").then().statusCode(415);
    }
}
