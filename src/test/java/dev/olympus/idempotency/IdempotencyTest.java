package dev.olympus.idempotency;

import dev.olympus.testing.TimeTravel;
import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** Idempotency-Key on POST: replays, conflicts, concurrency and expiry. */
@QuarkusTest
class IdempotencyTest {

    @Inject
    Pool pool;

    @Inject
    IdempotencyCleanup cleanup;

    record Answer(int status, String body, String location, String etag) {
        static Answer of(Response response) {
            return new Answer(response.statusCode(), response.asString(), response.header("Location"), response.header("ETag"));
        }
    }

    @Test
    void fiftyConcurrentPostsWithOneKeyCreateOneTaskAndGetFiftyIdenticalAnswers() {
        TestAgent orchestrator = Api.agent("orchestrator");
        String key = UUID.randomUUID().toString();
        // java.net.http rather than RestAssured: 50 requests really in flight at once, cheaply.
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/tasks"))
                .header("Authorization", "Bearer " + orchestrator.key())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"exactly once\",\"labels\":[\"idem\"]}"))
                .timeout(Duration.ofSeconds(60))
                .build();
        List<CompletableFuture<Answer>> inFlight = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Answer(
                    r.statusCode(), r.body(), r.headers().firstValue("Location").orElse(null),
                    r.headers().firstValue("ETag").orElse(null))));
        }
        List<Answer> answers = inFlight.stream().map(CompletableFuture::join).toList();

        Answer first = answers.getFirst();
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.location()).matches(".*/api/v1/tasks/\\d+$");
        assertThat(first.etag()).isEqualTo("\"1\"");
        assertThat(first.body()).contains("\"title\":\"exactly once\"");
        assertThat(answers).hasSize(50).allSatisfy(answer -> assertThat(answer).isEqualTo(first));
        orchestrator.request().get("/api/v1/tasks?createdBy=me").then().statusCode(200)
                .body("items.size()", is(1));
    }

    @Test
    void aRepeatedRequestIsReplayedAndChangesNothing() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long taskId = Api.task(orchestrator, "commented", worker.name());
        String key = "comment-" + UUID.randomUUID();
        Response first = worker.request().header("Idempotency-Key", key).body(Map.of("body", "on it"))
                .post("/api/v1/tasks/" + taskId + "/comments");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.header("Idempotency-Replayed")).isNull();
        Response again = worker.request().header("Idempotency-Key", key).body(Map.of("body", "on it"))
                .post("/api/v1/tasks/" + taskId + "/comments");
        assertThat(Answer.of(again)).isEqualTo(Answer.of(first));
        assertThat(again.header("Idempotency-Replayed")).isEqualTo("true");
        assertThat(again.contentType()).startsWith("application/json");
        worker.request().get("/api/v1/tasks/" + taskId).then().body("commentCount", is(1));

        // The key belongs to the agent: another agent's identical key is its own request.
        TestAgent other = Api.agent("worker");
        other.request().header("Idempotency-Key", key).body(Map.of("body", "on it"))
                .post("/api/v1/tasks/" + taskId + "/comments").then().statusCode(201);
        worker.request().get("/api/v1/tasks/" + taskId).then().body("commentCount", is(2));
    }

    @Test
    void theSameKeyWithAnotherBodyOrPathIs422() {
        TestAgent orchestrator = Api.agent("orchestrator");
        String key = UUID.randomUUID().toString();
        orchestrator.request().header("Idempotency-Key", key).body(Map.of("title", "one")).post("/api/v1/tasks")
                .then().statusCode(201);
        orchestrator.request().header("Idempotency-Key", key).body(Map.of("title", "two")).post("/api/v1/tasks")
                .then().statusCode(422).contentType("application/problem+json").body("code", is("idempotency-key-reused"));
        long id = Api.task(orchestrator, "other", null);
        orchestrator.request().header("Idempotency-Key", key).body(Map.of("body", "one"))
                .post("/api/v1/tasks/" + id + "/comments")
                .then().statusCode(422).body("code", is("idempotency-key-reused"));
        orchestrator.request().get("/api/v1/tasks?createdBy=me").then().body("items.size()", is(2));
    }

    @Test
    void refusalsAreReplayedTooButRateLimitsAreNot() {
        TestAgent orchestrator = Api.agent("orchestrator");
        long existing = Api.task(orchestrator, "only once", null);
        String key = UUID.randomUUID().toString();
        for (int i = 0; i < 2; i++) {
            orchestrator.request().header("Idempotency-Key", key).body(Map.of("title", "Only Once")).post("/api/v1/tasks")
                    .then().statusCode(409).contentType("application/problem+json")
                    .body("code", is("duplicate-task")).body("existingTaskId", is((int) existing));
        }
        assertThat(IdempotencyFilter.replayable(429)).isFalse();
        assertThat(IdempotencyFilter.replayable(503)).isFalse();
        assertThat(IdempotencyFilter.replayable(423)).isFalse();
        assertThat(IdempotencyFilter.replayable(400)).isTrue();
    }

    @Test
    void anInvalidKeyIs400AndPostsWithoutKeyAreUntouched() {
        TestAgent orchestrator = Api.agent("orchestrator");
        orchestrator.request().header("Idempotency-Key", "x".repeat(256)).body(Map.of("title", "too long key"))
                .post("/api/v1/tasks").then().statusCode(400).body("code", is("validation-failed"))
                .body("errors[0].field", is("Idempotency-Key"));
        orchestrator.request().body(Map.of("title", "no key")).post("/api/v1/tasks").then().statusCode(201);
        // the body still reaches the resource, and its validation, when a key is sent
        orchestrator.request().header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of("title", ""))
                .post("/api/v1/tasks").then().statusCode(400).body("errors[0].field", is("title"));
        orchestrator.request().header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"title\":")
                .post("/api/v1/tasks").then().statusCode(400).body("code", is("validation-failed"));
    }

    @Test
    void keysOlderThanTheTtlAreDeletedByTheCleanupJob() {
        TestAgent orchestrator = Api.agent("orchestrator");
        String oldKey = UUID.randomUUID().toString();
        String freshKey = UUID.randomUUID().toString();
        orchestrator.request().header("Idempotency-Key", oldKey).body(Map.of("title", "aged")).post("/api/v1/tasks")
                .then().statusCode(201);
        orchestrator.request().header("Idempotency-Key", freshKey).body(Map.of("title", "fresh")).post("/api/v1/tasks")
                .then().statusCode(201);
        TimeTravel.backdate(pool, "idempotency_keys", "created_at", Duration.ofHours(25), "key = $1", oldKey);

        cleanup.purge().await().atMost(Duration.ofSeconds(5));

        assertThat(count(oldKey)).isZero();
        assertThat(count(freshKey)).isEqualTo(1);
        // The expired key is new again: the request runs (and finds the task it made a day ago a duplicate).
        orchestrator.request().header("Idempotency-Key", oldKey).body(Map.of("title", "aged")).post("/api/v1/tasks")
                .then().statusCode(409).body("code", is("duplicate-task"));
    }

    private long count(String key) {
        return pool.preparedQuery("SELECT count(*) FROM idempotency_keys WHERE key = $1").execute(Tuple.of(key))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(5));
    }

}
