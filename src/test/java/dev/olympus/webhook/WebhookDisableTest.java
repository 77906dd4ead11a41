package dev.olympus.webhook;

import dev.olympus.testing.Api;
import dev.olympus.testing.WebhookReceiver;
import dev.olympus.testing.WebhookReceiver.Mode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** A webhook failing for longer than olympus.webhooks.disable-after (2 s here) is disabled; PATCH active resumes it. */
@QuarkusTest
@TestProfile(WebhookDisableTest.QuickDisable.class)
class WebhookDisableTest {

    public static class QuickDisable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("olympus.webhooks.disable-after", "2s", "olympus.webhooks.first-backoff", "100ms",
                    "olympus.webhooks.max-backoff", "300ms");
        }
    }

    @Test
    void failingPastTheLimitDisablesWithAnEventAndResumingDeliversFromTheCursor() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            String label = Api.uniqueName("disable");
            receiver.mode("broken", Mode.ERROR_500);
            var created = Api.admin().body(Map.of("url", receiver.url("broken"), "label", label, "types", List.of("task.created")))
                    .post("/api/v1/webhooks").then().statusCode(201).extract().jsonPath();
            long id = created.getLong("webhook.id");
            long head = created.getLong("webhook.cursor");
            Api.task(Api.agent("orchestrator"), Map.of("labels", List.of(label)));

            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
                    "disabled".equals(Api.admin().get("/api/v1/webhooks/" + id).then().extract().path("state")));
            int attempts = receiver.received("broken").size();
            assertThat(attempts).isGreaterThanOrEqualTo(3);
            List<Map<String, Object>> disabled = Api.admin().get("/api/v1/events?type=webhook.disabled&limit=200&after=" + head)
                    .then().statusCode(200).extract().jsonPath().getList("items");
            assertThat(disabled).anyMatch(e -> ((Map<?, ?>) e.get("data")).get("webhookId").equals((int) id));
            Awaitility.await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                    .until(() -> receiver.received("broken").size() == attempts);

            receiver.mode("broken", Mode.OK);
            Api.admin().body(Map.of("state", "active")).patch("/api/v1/webhooks/" + id).then().statusCode(200)
                    .body("state", is("active")).body("failures", is(0));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                    Api.admin().get("/api/v1/webhooks/" + id).then().extract().jsonPath().getLong("cursor") > head);
        }
    }
}
