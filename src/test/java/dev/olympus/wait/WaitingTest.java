package dev.olympus.wait;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/** API.md "Waiting instead of polling": held claims and event polls, woken by commits. */
@QuarkusTest
class WaitingTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URL base;

    @Inject
    LongPoll polls;

    private CompletableFuture<HttpResponse<String>> waitingClaim(TestAgent worker, String label, int seconds) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "api/v1/tasks/claim?wait=" + seconds))
                        .header("Authorization", "Bearer " + worker.key())
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(seconds + 10))
                        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("labels", List.of(label)).encode()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitWaiting(int atLeast) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> polls.waiting() >= atLeast);
    }

    @Test
    void aWaitOutsideOneToSixtyIsAValidationError() {
        TestAgent worker = Api.agent("worker");
        for (String bad : List.of("0", "61", "-1", "soon", "1.5")) {
            worker.request().post("/api/v1/tasks/claim?wait=" + bad).then().statusCode(400)
                    .body("code", is("validation-failed")).body("errors.field", hasItem("wait"));
            worker.request().get("/api/v1/events?wait=" + bad).then().statusCode(400)
                    .body("code", is("validation-failed")).body("errors.field", hasItem("wait"));
        }
    }

    @Test
    void aWaitingClaimGetsATaskCreatedWhileItWaits() throws Exception {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("wait");
        int before = polls.waiting();
        var answer = waitingClaim(worker, label, 30);
        awaitWaiting(before + 1);
        long created = System.nanoTime();
        long id = Api.task(orchestrator, Map.of("labels", List.of(label)));
        assertClaimedPromptly(answer.get(5, TimeUnit.SECONDS), id, worker, created);
    }

    /** A task blocked by a question becomes claimable when the question is answered: that wakes a waiting claim. */
    @Test
    void aWaitingClaimGetsATaskWhoseQuestionWasAnswered() throws Exception {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("asked");
        long id = Api.task(orchestrator, Map.of("labels", List.of(label)));
        long question = orchestrator.request().body(Map.of("question", "CSV or JSON?", "to", "human"))
                .post("/api/v1/tasks/" + id + "/questions").then().statusCode(201).body("state", is("open"))
                .extract().jsonPath().getLong("id");
        orchestrator.request().get("/api/v1/tasks/" + id).then().statusCode(200).body("status", is("blocked"));
        int before = polls.waiting();
        var answer = waitingClaim(worker, label, 30);
        awaitWaiting(before + 1);
        assertThat(answer).isNotDone();
        long answered = System.nanoTime();
        Api.admin().body(Map.of("answer", "JSON")).post("/api/v1/questions/" + question + "/answer").then().statusCode(200);
        assertClaimedPromptly(answer.get(5, TimeUnit.SECONDS), id, worker, answered);
    }

    /** The asker was killed while its question was open: the answer gives the task to the pool, and to a waiter. */
    @Test
    void aWaitingClaimGetsTheTaskOfAKilledAskerWhenItsQuestionIsAnswered() throws Exception {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent asker = Api.agent("worker");
        TestAgent other = Api.agent("worker");
        String label = Api.uniqueName("orphan");
        long id = Api.task(orchestrator, Map.of("labels", List.of(label)));
        asker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim").then().statusCode(200)
                .body("id", is((int) id));
        long question = asker.request().body(Map.of("question", "Which database?"))
                .post("/api/v1/tasks/" + id + "/questions").then().statusCode(201).extract().jsonPath().getLong("id");
        Api.admin().body(Map.of("reason", "test")).post("/api/v1/agents/" + asker.name() + "/kill").then().statusCode(200);
        int before = polls.waiting();
        var answer = waitingClaim(other, label, 30);
        awaitWaiting(before + 1);
        assertThat(answer).isNotDone();
        orchestrator.request().body(Map.of("answer", "PostgreSQL")).post("/api/v1/questions/" + question + "/answer")
                .then().statusCode(200);
        HttpResponse<String> response = answer.get(5, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject task = new JsonObject(response.body());
        assertThat(task.getLong("id")).isEqualTo(id);
        assertThat(task.getString("assignee")).isEqualTo(other.name());
    }

    @Test
    void aClaimIsAnsweredAtOnceWhenWorkExistsAnd204WhenTheWaitEnds() throws Exception {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("wait");
        long id = Api.task(orchestrator, Map.of("labels", List.of(label)));
        long start = System.nanoTime();
        worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim?wait=30")
                .then().statusCode(200).body("id", is((int) id));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        start = System.nanoTime();
        worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim?wait=1").then().statusCode(204);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
    }

    @Test
    void fiftyWaitersAndFiftyTasksEachTaskClaimedExactlyOnce() throws Exception {
        TestAgent first = Api.agent("orchestrator");
        String label = Api.uniqueName("herd");
        List<TestAgent> workers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            workers.add(Api.agent("worker"));
        }
        int before = polls.waiting();
        List<CompletableFuture<HttpResponse<String>>> answers = workers.stream().map(w -> waitingClaim(w, label, 30)).toList();
        awaitWaiting(before + 50);
        Set<Long> created = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            created.add(Api.task(first, Map.of("labels", List.of(label))));
        }
        Set<Long> claimed = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> response = answers.get(i).get(20, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as("waiter %d", i).isEqualTo(200);
            JsonObject task = new JsonObject(response.body());
            assertThat(task.getString("assignee")).isEqualTo(workers.get(i).name());
            assertThat(claimed.add(task.getLong("id"))).as("task %d claimed twice", task.getLong("id")).isTrue();
        }
        assertThat(claimed).isEqualTo(created);
        for (long id : created) {
            first.request().get("/api/v1/tasks/" + id + "/history").then().statusCode(200);
        }
    }

    @Test
    void aWaitingEventPollIsAnsweredWithTheNextEvent() throws Exception {
        TestAgent orchestrator = Api.agent("orchestrator");
        long head = orchestrator.request().get("/api/v1/events?limit=1").then().statusCode(200)
                .extract().jsonPath().getLong("head");
        int before = polls.waiting();
        var answer = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "api/v1/events?type=task.created&wait=30&after=" + head))
                .header("Authorization", "Bearer " + orchestrator.key()).build(), HttpResponse.BodyHandlers.ofString());
        awaitWaiting(before + 1);
        long id = Api.task(orchestrator, Map.of("title", Api.uniqueName("woken")));
        HttpResponse<String> response = answer.get(5, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        var items = new JsonObject(response.body()).getJsonArray("items");
        assertThat(items.size()).isGreaterThan(0);
        boolean found = false;
        for (int i = 0; i < items.size(); i++) {
            found |= items.getJsonObject(i).getLong("taskId") == id;
        }
        assertThat(found).isTrue();

        orchestrator.request().get("/api/v1/events?wait=1&type=agent.revived&after=" + (head + 1_000_000))
                .then().statusCode(200).body("items.size()", is(0));
    }

    @Test
    void aKillDuringTheWaitAnswers403() throws Exception {
        TestAgent worker = Api.agent("worker");
        int before = polls.waiting();
        var answer = waitingClaim(worker, Api.uniqueName("kill"), 30);
        awaitWaiting(before + 1);
        Api.admin().body(Map.of("reason", "test")).post("/api/v1/agents/" + worker.name() + "/kill").then().statusCode(200);
        HttpResponse<String> response = answer.get(5, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(response.body()).getString("code")).isEqualTo("agent-killed");
    }

    @Test
    void aFreezeDuringTheWaitAnswers204() throws Exception {
        TestAgent worker = Api.agent("worker");
        int before = polls.waiting();
        var answer = waitingClaim(worker, Api.uniqueName("freeze"), 30);
        awaitWaiting(before + 1);
        try {
            Api.admin().body(Map.of("reason", "test")).post("/api/v1/system/freeze").then().statusCode(200);
            assertThat(answer.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
        } finally {
            Api.admin().post("/api/v1/system/unfreeze").then().statusCode(200);
        }
    }

    @Test
    void aPauseDuringTheWaitAnswers204() throws Exception {
        TestAgent worker = Api.agent("worker");
        int before = polls.waiting();
        var answer = waitingClaim(worker, Api.uniqueName("pause"), 30);
        awaitWaiting(before + 1);
        Api.admin().body(Map.of("reason", "test")).post("/api/v1/agents/" + worker.name() + "/pause").then().statusCode(200);
        assertThat(answer.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
    }

    @Test
    void aClientThatLeavesWhileWaitingClaimsNothing() throws Exception {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("gone");
        int before = polls.waiting();
        String body = new JsonObject().put("labels", List.of(label)).encode();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/tasks/claim?wait=30 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + worker.key()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            awaitWaiting(before + 1);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> polls.waiting() <= before);
        long id = Api.task(orchestrator, Map.of("labels", List.of(label)));
        orchestrator.request().get("/api/v1/tasks/" + id).then().statusCode(200).body("status", is("todo"));
    }

    /** The waiting claim answered with task {@code id}, started by {@code worker}, within a second of {@code sinceNanos}. */
    private static void assertClaimedPromptly(HttpResponse<String> response, long id, TestAgent worker, long sinceNanos) {
        long millis = (System.nanoTime() - sinceNanos) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject task = new JsonObject(response.body());
        assertThat(task.getLong("id")).isEqualTo(id);
        assertThat(task.getString("status")).isEqualTo("in_progress");
        assertThat(task.getString("assignee")).isEqualTo(worker.name());
        assertThat(millis).isLessThan(1000);
    }
}
