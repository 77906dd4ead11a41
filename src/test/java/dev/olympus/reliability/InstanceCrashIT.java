package dev.olympus.reliability;

import dev.olympus.testing.OlympusProcess;
import dev.olympus.testing.TwoInstances;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGKILL one of two instances during a burst of writes and claims: every write acknowledged with a 2xx is in the
 * database, no task was ever claimed twice, and every claimed task is either still leased to its claimer or was
 * returned to todo by the lease rules, which the surviving instance's scheduler applies.
 */
class InstanceCrashIT {

    private static final String ADMIN = "olk_crash-admin-key-0123456789abcdefghijk";
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    record Claim(long taskId, String worker) {}

    @RegisterExtension
    static final TwoInstances OLYMPUS = TwoInstances.onNewDatabase("crash").adminKey(ADMIN)
            .with("olympus.tasks.create-budget-per-minute", "1000000")
            .with("olympus.rate-limit.enabled", "false")
            .with("olympus.scheduler.interval", "1s")
            .with("olympus.lease.duration", "3s")
            .with("olympus.lease.requeue-after", "1s");

    @Test
    void acknowledgedWorkSurvivesAKilledInstance() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ConcurrentLinkedQueue<Long> created = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Claim> claims = new ConcurrentLinkedQueue<>();
        Map<String, String> claimedBy = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> doubleClaims = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);

        OlympusProcess a = OLYMPUS.a(), b = OLYMPUS.b();
        List<OlympusProcess> instances = List.of(a, b);
        String[] workers = new String[4];
        String[] keys = new String[4];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = "crash-worker-" + i;
            keys[i] = RestAssured.given().baseUri(b.baseUrl()).header("Authorization", "Bearer " + ADMIN)
                    .contentType(ContentType.JSON).body(Map.of("name", workers[i], "role", "worker"))
                    .post("/api/v1/agents").then().statusCode(201).extract().path("apiKey");
        }
        ExecutorService pool = Executors.newFixedThreadPool(12);
        for (int w = 0; w < 4; w++) { // writers, two per instance
            OlympusProcess target = instances.get(w % 2);
            int writer = w;
            pool.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    HttpResponse<String> response = send(http, target, ADMIN, "/api/v1/tasks",
                            "{\"title\":\"crash " + writer + "-" + i + "\"}");
                    if (response != null && response.statusCode() == 201) {
                        created.add(id(response.body()));
                    }
                }
            });
        }
        for (int w = 0; w < 8; w++) { // claimers, each worker on both instances
            OlympusProcess target = instances.get(w % 2);
            int worker = w % 4;
            pool.submit(() -> {
                while (running.get()) {
                    HttpResponse<String> response = send(http, target, keys[worker], "/api/v1/tasks/claim", "{}");
                    if (response != null && response.statusCode() == 200) {
                        long task = id(response.body());
                        claims.add(new Claim(task, workers[worker]));
                        // A requeued task may be claimed again, under a new lease epoch; one epoch, one claim.
                        if (claimedBy.putIfAbsent(task + "@" + epoch(response.body()), workers[worker]) != null) {
                            doubleClaims.add(task);
                        }
                    }
                }
            });
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> created.size() >= 150 && claims.size() >= 50);
        a.kill();
        int createdAtKill = created.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> created.size() >= createdAtKill + 50);
        running.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(doubleClaims).as("tasks claimed twice while their first claim stood").isEmpty();
        try (Connection db = OLYMPUS.connectDatabase()) {
            for (long id : created) {
                assertThat(count(db, "SELECT count(*) FROM tasks WHERE id = " + id)).as("task %d acknowledged", id).isEqualTo(1);
            }
            // Claims nobody renews expire and are requeued by the survivor's scheduler.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    count(db, "SELECT count(*) FROM tasks WHERE status = 'in_progress'")).isZero());
            for (Claim claim : claims) {
                assertThat(count(db, "SELECT count(*) FROM events WHERE task_id = " + claim.taskId()
                        + " AND type = 'task.status_changed' AND data->>'to' = 'in_progress' AND actor = '" + claim.worker() + "'"))
                        .as("claim of task %d by %s is in the history", claim.taskId(), claim.worker()).isGreaterThanOrEqualTo(1);
            }
        }
        assertThat(b.isAlive()).isTrue();
    }

    private static HttpResponse<String> send(HttpClient http, OlympusProcess target, String key, String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(target.baseUrl() + path))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return null; // the instance died under us: nothing was acknowledged
        }
    }

    private static long id(String body) {
        Matcher m = ID.matcher(body);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static long epoch(String body) {
        Matcher m = Pattern.compile("\"leaseEpoch\":(\\d+)").matcher(body);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static long count(Connection db, String sql) throws Exception {
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
