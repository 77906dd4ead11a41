package dev.olympus.task;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** A claim that could not be delivered goes back to todo at once, with the lease epoch advanced. */
@QuarkusTest
class UndeliveredClaimsTest {

    @Inject
    UndeliveredClaims undelivered;

    @Inject
    TaskService tasks;

    @Test
    void givesTheTaskBackWithANewEpochOnce() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("undelivered");
        long id = Api.task(orchestrator, Map.of("labels", List.of(label)));
        worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim").then().statusCode(200);
        Task claimed = tasks.get(id).await().atMost(Duration.ofSeconds(5));

        assertThat(undelivered.giveBackNow(claimed).await().atMost(Duration.ofSeconds(5))).isTrue();
        assertThat(undelivered.giveBackNow(claimed).await().atMost(Duration.ofSeconds(5))).isFalse();

        orchestrator.request().get("/api/v1/tasks/" + id).then().statusCode(200)
                .body("status", is("todo")).body("assignee", nullValue())
                .body("leaseEpoch", is((int) claimed.leaseEpoch() + 1));
        orchestrator.request().get("/api/v1/tasks/" + id + "/history").then().statusCode(200)
                .body("items.data.reason", hasItem("claim-undelivered"));
    }
}
