package dev.olympus;

import dev.olympus.testing.OlympusProcess;
import dev.olympus.testing.TwoInstances;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.*;

/**
 * The kill switch across two packaged instances sharing one database: a kill answered by one instance holds on
 * both within a second, for API keys and access tokens, while the agent is busy; its tasks are released once.
 */
class KillSwitchIT {

    private static final String ADMIN_KEY = "olk_it-admin-key-kill-0123456789abcdefghij";

    /** Started together: both race to generate the token signing key; one wins and both use it. */
    @RegisterExtension
    static final TwoInstances OLYMPUS = TwoInstances.onNewDatabase("kill").adminKey(ADMIN_KEY);

    /** One request of the busy worker: when it started and ended (relative nanos), and what it got. */
    record Attempt(String instance, String credential, long start, long end, int status, String body) {}

    @Test
    void aKilledWorkerIsRefusedEverywhereWithinASecondAndItsTasksAreReleasedOnce() throws Exception {
        OlympusProcess a = OLYMPUS.a(), b = OLYMPUS.b();
        String worker = "busy-worker";
        String workerKey = on(a, ADMIN_KEY).body(Map.of("name", worker, "role", "worker")).post("/api/v1/agents")
                .then().statusCode(201).extract().path("apiKey");
        List<Long> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long id = on(a, ADMIN_KEY).body(Map.of("title", "busy " + i, "assignee", worker)).post("/api/v1/tasks")
                    .then().statusCode(201).extract().jsonPath().getLong("id");
            on(b, workerKey).body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + id).then().statusCode(200);
            tasks.add(id);
        }
        // A token from A works on B: one signing key for both.
        String token = on(a, workerKey).post("/api/v1/auth/token").then().statusCode(200).extract().path("accessToken");
        on(b, token).get("/api/v1/agents/me").then().statusCode(200).body("name", is(worker));

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        long origin = System.nanoTime();
        List<Thread> loops = new ArrayList<>();
        int n = 0;
        for (OlympusProcess instance : List.of(a, b)) {
            for (String credential : List.of(workerKey, token)) {
                long task = tasks.get(n++ % tasks.size());
                String name = (instance == a ? "A" : "B") + "/" + (credential == token ? "token" : "key");
                loops.add(Thread.ofPlatform().name(name).start(() -> {
                    int i = 0;
                    while (running.get()) {
                        boolean write = i++ % 2 == 0;
                        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/api/v1/tasks/" + task))
                                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + credential);
                        if (write) {
                            request.header("Content-Type", "application/json")
                                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"result\":\"step " + i + "\"}"));
                        }
                        long start = System.nanoTime() - origin;
                        try {
                            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                            attempts.add(new Attempt(name, write ? "PATCH" : "GET", start, System.nanoTime() - origin,
                                    response.statusCode(), response.body()));
                        } catch (Exception e) {
                            attempts.add(new Attempt(name, write ? "PATCH" : "GET", start, System.nanoTime() - origin, -1, e.toString()));
                        }
                    }
                }));
            }
        }
        // Busy for a while first: both instances have the worker's credentials cached when the kill lands.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                List.of("A/key", "A/token", "B/key", "B/token").stream().allMatch(loop ->
                        attempts.stream().filter(t -> t.instance().equals(loop) && t.status() == 200).count() >= 5));

        on(a, ADMIN_KEY).body(Map.of("reason", "runaway loop")).post("/api/v1/agents/" + worker + "/kill")
                .then().statusCode(200).body("state", is("killed"));
        long killAnswered = System.nanoTime() - origin;
        long deadline = killAnswered + Duration.ofSeconds(1).toNanos();

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                attempts.stream().filter(t -> t.start() > deadline + Duration.ofMillis(1500).toNanos()).count() >= 8);
        running.set(false);
        for (Thread loop : loops) {
            loop.join(15_000);
        }

        List<Attempt> late = attempts.stream().filter(t -> t.start() > deadline).toList();
        assertThat(late).isNotEmpty();
        assertThat(late).allSatisfy(t -> {
            assertThat(t.status()).as(t.toString()).isEqualTo(403);
            assertThat(t.body()).as(t.toString()).contains("\"agent-killed\"");
        });
        // How long the kill really took to reach each instance (the latest success that started after the answer).
        for (String loop : List.of("A/key", "A/token", "B/key", "B/token")) {
            long lastSuccess = attempts.stream().filter(t -> t.instance().equals(loop) && t.status() / 100 == 2
                    && t.start() > killAnswered).mapToLong(Attempt::start).max().orElse(killAnswered);
            System.out.printf("Kill reached %s %.1f ms after the kill's answer (requests: %d)%n", loop,
                    (lastSuccess - killAnswered) / 1e6, attempts.stream().filter(t -> t.instance().equals(loop)).count());
        }

        for (long id : tasks) {
            on(b, ADMIN_KEY).get("/api/v1/tasks/" + id).then().statusCode(200)
                    .body("status", is("todo")).body("assignee", nullValue());
            on(a, ADMIN_KEY).get("/api/v1/tasks/" + id + "/history?limit=200").then().statusCode(200)
                    .body("items.findAll { it.type == 'task.status_changed' && it.data.to == 'todo' }", hasSize(1))
                    .body("items.findAll { it.type == 'task.assigned' && it.data.from == '" + worker + "' }", hasSize(1))
                    .body("items.findAll { it.type == 'task.commented' && it.data.system == true }", hasSize(1));
            on(b, ADMIN_KEY).get("/api/v1/tasks/" + id + "/comments").then().statusCode(200)
                    .body("items.findAll { it.system }", hasSize(1));
        }
        on(b, ADMIN_KEY).get("/api/v1/agents/" + worker).then().body("state", is("killed")).body("stateReason", is("runaway loop"));

        // Revive on B: keys and new tokens work on both instances; the token from before the kill stays dead.
        on(b, ADMIN_KEY).post("/api/v1/agents/" + worker + "/revive").then().statusCode(200).body("state", is("active"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(1)).until(() ->
                on(a, workerKey).get("/api/v1/agents/me").statusCode() == 200);
        String fresh = on(a, workerKey).post("/api/v1/auth/token").then().statusCode(200).extract().path("accessToken");
        for (OlympusProcess instance : List.of(a, b)) {
            on(instance, workerKey).get("/api/v1/agents/me").then().statusCode(200);
            on(instance, fresh).get("/api/v1/agents/me").then().statusCode(200);
            on(instance, token).get("/api/v1/agents/me").then().statusCode(401).body("code", is("unauthorized"));
        }
    }

    @Test
    void theLastOperatorCannotLockEveryoneOut() {
        OlympusProcess a = OLYMPUS.a(), b = OLYMPUS.b();
        String adminKeyId = on(a, ADMIN_KEY).get("/api/v1/agents/admin/keys").then().statusCode(200)
                .extract().path("items[0].keyId");
        on(a, ADMIN_KEY).delete("/api/v1/agents/admin/keys/" + adminKeyId).then().statusCode(409)
                .body("code", is("last-operator"));
        on(b, ADMIN_KEY).body(Map.of("reason", "oops")).post("/api/v1/agents/admin/kill").then().statusCode(403);

        String second = on(a, ADMIN_KEY).body(Map.of("name", "second-operator", "role", "operator")).post("/api/v1/agents")
                .then().statusCode(201).extract().path("apiKey");
        // With a second live operator the first may be killed, by the second; then the second is the last one.
        on(b, second).body(Map.of("reason", "handing over")).post("/api/v1/agents/admin/kill").then().statusCode(200);
        try {
            on(b, ADMIN_KEY).get("/api/v1/agents").then().statusCode(403).body("code", is("agent-killed"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> on(a, ADMIN_KEY).get("/api/v1/agents").statusCode() == 403);
            String secondKeyId = on(a, second).get("/api/v1/agents/second-operator/keys").then().extract().path("items[0].keyId");
            on(a, second).delete("/api/v1/agents/second-operator/keys/" + secondKeyId).then().statusCode(409)
                    .body("code", is("last-operator"));
        } finally {
            on(a, second).post("/api/v1/agents/admin/revive").then().statusCode(200);
        }
        on(a, ADMIN_KEY).get("/api/v1/agents").then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> on(b, ADMIN_KEY).get("/api/v1/agents").statusCode() == 200);
    }

    @Test
    void aRevocationAndAFreezeReachTheOtherInstanceWithinASecond() {
        OlympusProcess a = OLYMPUS.a(), b = OLYMPUS.b();
        String worker = "revoked-worker";
        on(a, ADMIN_KEY).body(Map.of("name", worker, "role", "worker")).post("/api/v1/agents").then().statusCode(201);
        var created = on(a, ADMIN_KEY).post("/api/v1/agents/" + worker + "/keys").then().statusCode(201).extract();
        String key = created.path("apiKey");
        String token = on(b, key).post("/api/v1/auth/token").then().statusCode(200).extract().path("accessToken");
        on(b, key).get("/api/v1/agents/me").then().statusCode(200);     // cached on B
        on(b, token).get("/api/v1/agents/me").then().statusCode(200);

        on(a, ADMIN_KEY).delete("/api/v1/agents/" + worker + "/keys/" + created.path("keyId")).then().statusCode(204);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                on(b, key).get("/api/v1/agents/me").statusCode() == 401 && on(b, token).get("/api/v1/agents/me").statusCode() == 401);

        String other = on(a, ADMIN_KEY).body(Map.of("name", "frozen-worker", "role", "worker")).post("/api/v1/agents")
                .then().statusCode(201).extract().path("apiKey");
        long task = on(a, ADMIN_KEY).body(Map.of("title", "during a freeze", "assignee", "frozen-worker"))
                .post("/api/v1/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
        on(b, other).body(Map.of("body", "warm")).post("/api/v1/tasks/" + task + "/comments").then().statusCode(201);
        try {
            on(a, ADMIN_KEY).body(Map.of("reason", "across instances")).post("/api/v1/system/freeze").then().statusCode(200);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                    on(b, other).body(Map.of("body", "frozen?")).post("/api/v1/tasks/" + task + "/comments").statusCode() == 423);
            on(b, other).get("/api/v1/system").then().statusCode(200).body("frozen", is(true)).body("frozenBy", is("admin"));
        } finally {
            on(b, ADMIN_KEY).post("/api/v1/system/unfreeze").then().statusCode(200);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                on(a, other).body(Map.of("body", "thawed")).post("/api/v1/tasks/" + task + "/comments").statusCode() == 201);
    }

    private static RequestSpecification on(OlympusProcess instance, String credential) {
        return RestAssured.given().baseUri(instance.baseUrl()).header("Authorization", "Bearer " + credential)
                .contentType(ContentType.JSON);
    }
}
