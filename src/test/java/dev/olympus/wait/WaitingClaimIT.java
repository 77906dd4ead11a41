package dev.olympus.wait;

import dev.olympus.testing.OlympusProcess;
import dev.olympus.testing.TestDatabase;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A worker waiting on instance A gets a task created on instance B within 1 s (two packaged instances). */
class WaitingClaimIT {

    private static final String ADMIN_KEY = "olk_it-admin-key-0123456789abcdefghijklmn";

    private static RequestSpecification on(OlympusProcess instance, String key) {
        return RestAssured.given().baseUri(instance.baseUrl()).header("Authorization", "Bearer " + key)
                .contentType(ContentType.JSON);
    }

    @Test
    void aTaskCreatedOnOneInstanceWakesAClaimWaitingOnTheOther() throws Exception {
        Map<String, String> config = new HashMap<>(TestDatabase.get().newDatabase("waitclaim"));
        config.put("olympus.bootstrap-key", ADMIN_KEY);
        try (OlympusProcess a = OlympusProcess.launch(config); OlympusProcess b = OlympusProcess.launch(config)) {
            a.awaitReady(Duration.ofSeconds(90));
            b.awaitReady(Duration.ofSeconds(90));
            String worker = on(a, ADMIN_KEY).body(Map.of("name", "waiter", "role", "worker"))
                    .post("/api/v1/agents").then().statusCode(201).extract().path("apiKey");
            HttpClient http = HttpClient.newHttpClient();
            for (int round = 0; round < 3; round++) {
                CompletableFuture<HttpResponse<String>> answer = http.sendAsync(
                        HttpRequest.newBuilder(URI.create(a.baseUrl() + "/api/v1/tasks/claim?wait=30"))
                                .header("Authorization", "Bearer " + worker).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !answer.isDone());

                long created = System.nanoTime();
                long id = on(b, ADMIN_KEY).body(Map.of("title", "wake " + round, "labels", List.of("it")))
                        .post("/api/v1/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
                HttpResponse<String> response = answer.get(5, TimeUnit.SECONDS);
                long millis = (System.nanoTime() - created) / 1_000_000;
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(new JsonObject(response.body()).getLong("id")).isEqualTo(id);
                assertThat(millis).as("task created on B to claim answered on A").isLessThan(1000);
            }
        }
    }
}
