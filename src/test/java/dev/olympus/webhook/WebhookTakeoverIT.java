package dev.olympus.webhook;

import dev.olympus.testing.OlympusProcess;
import dev.olympus.testing.TestDatabase;
import dev.olympus.testing.WebhookReceiver;
import dev.olympus.testing.WebhookReceiver.Mode;
import dev.olympus.testing.WebhookReceiver.Received;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance killed with SIGKILL in the middle of a delivery: another instance takes the webhook over after the
 * lease, delivers the event in flight again and everything after it, in order; nothing is lost.
 */
class WebhookTakeoverIT {

    private static final String ADMIN_KEY = "olk_it-admin-key-0123456789abcdefghijklmn";

    private static RequestSpecification on(OlympusProcess instance) {
        return RestAssured.given().baseUri(instance.baseUrl()).header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(ContentType.JSON);
    }

    @Test
    void aSecondInstanceTakesOverAfterTheFirstIsKilledMidDelivery() {
        Map<String, String> config = new HashMap<>(TestDatabase.get().newDatabase("takeover"));
        config.put("olympus.bootstrap-key", ADMIN_KEY);
        config.put("olympus.webhooks.lease", "3s");
        config.put("olympus.webhooks.timeout", "20s");
        config.put("olympus.webhooks.first-backoff", "200ms");
        config.put("olympus.webhooks.poll-interval", "200ms");
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.mode("hook", Mode.HOLD);
            List<Long> tasks = new ArrayList<>();
            long webhook;
            String secret;
            try (OlympusProcess a = OlympusProcess.start(config)) {
                var created = on(a).body(Map.of("url", receiver.url("hook"), "types", List.of("task.created")))
                        .post("/api/v1/webhooks").then().statusCode(201).extract().jsonPath();
                webhook = created.getLong("webhook.id");
                secret = created.getString("secret");
                for (int i = 0; i < 5; i++) {
                    tasks.add(on(a).body(Map.of("title", "takeover " + i)).post("/api/v1/tasks").then().statusCode(201)
                            .extract().jsonPath().getLong("id"));
                }
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received("hook").size() == 1);
                a.kill(); // SIGKILL while the first delivery is in flight
            }
            receiver.mode("hook", Mode.OK);
            try (OlympusProcess b = OlympusProcess.start(config)) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                        new LinkedHashSet<>(receiver.received("hook").stream().map(Received::id).toList()).size() == 5);
                List<Received> got = receiver.received("hook");
                List<Long> delivered = new ArrayList<>(new LinkedHashSet<>(got.stream()
                        .map(r -> new JsonObject(r.body()).getLong("taskId")).toList()));
                assertThat(delivered).isEqualTo(tasks);
                assertThat(got.get(0).id()).isEqualTo(got.get(1).id()); // the event in flight, delivered again
                assertThat(got).allMatch(r -> WebhookReceiver.verify(secret, r));
                long last = Long.parseLong(got.getLast().id());
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                        on(b).get("/api/v1/webhooks/" + webhook).then().extract().jsonPath().getLong("cursor") == last);
            }
        }
    }
}
