package dev.olympus.reliability;

import dev.olympus.testing.OlympusProcess;
import dev.olympus.testing.TestDatabase;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SIGTERM during a burst of writes: every write acknowledged with a 2xx is in the database afterwards. */
class GracefulShutdownIT {

    private static final String ADMIN = "olk_shutdown-admin-key-0123456789abcdefgh";
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    @Test
    void acknowledgedWritesSurviveASigterm() throws Exception {
        Map<String, String> config = new HashMap<>(TestDatabase.get().newDatabase("shutdown"));
        config.put("olympus.bootstrap-key", ADMIN);
        config.put("olympus.tasks.create-budget-per-minute", "1000000");
        config.put("olympus.rate-limit.enabled", "false");
        ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (OlympusProcess instance = OlympusProcess.start(config)) {
            ExecutorService writers = Executors.newFixedThreadPool(8);
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.submit(() -> {
                    for (int i = 0; running.get(); i++) {
                        try {
                            var response = http.send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/api/v1/tasks"))
                                    .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(10))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"burst " + writer + "-" + i + "\"}"))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 201) {
                                Matcher m = ID.matcher(response.body());
                                if (m.find()) {
                                    acknowledged.add(Long.parseLong(m.group(1)));
                                }
                            }
                        } catch (Exception e) {
                            // refused or reset while shutting down: not acknowledged, so nothing is promised
                        }
                    }
                });
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 200);
            instance.terminate();
            running.set(false);
            writers.shutdown();
            assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(200);
        try (OlympusProcess after = OlympusProcess.start(config)) {
            List<Long> missing = acknowledged.stream().filter(id -> RestAssured.given().baseUri(after.baseUrl())
                    .header("Authorization", "Bearer " + ADMIN).contentType(ContentType.JSON)
                    .get("/api/v1/tasks/" + id).statusCode() != 200).toList();
            assertThat(missing).as("acknowledged but lost").isEmpty();
        }
    }
}
