package dev.olympus.webhook;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import dev.olympus.testing.WebhookReceiver;
import dev.olympus.testing.WebhookReceiver.Mode;
import dev.olympus.testing.WebhookReceiver.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * API.md "Webhooks" against a real receiver on loopback. Each test filters its webhooks by a label of its own, so
 * tests sharing the database never see each other's events. Test config: retries from 200 ms, 1 s timeout.
 */
@QuarkusTest
class WebhookTest {

    private static WebhookReceiver receiver;

    @BeforeAll
    static void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    private static JsonPath create(String url, String label, List<String> types) {
        Map<String, Object> body = new HashMap<>(Map.of("url", url, "label", label));
        if (types != null) {
            body.put("types", types);
        }
        return Api.admin().body(body).post("/api/v1/webhooks").then().statusCode(201)
                .body("secret", startsWith("whsec_")).body("webhook.state", is("active")).extract().jsonPath();
    }

    private static List<Long> ids(List<Received> requests) {
        return requests.stream().map(r -> Long.parseLong(r.id())).toList();
    }

    private static JsonPath webhook(long id) {
        return Api.admin().get("/api/v1/webhooks/" + id).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void refusesBadInputNamingTheField() {
        Api.admin().body(Map.of("url", "ftp://example.org/hook")).post("/api/v1/webhooks").then().statusCode(400)
                .body("code", is("validation-failed")).body("errors.field", hasItem("url"));
        Api.admin().body(Map.of("url", "not a url")).post("/api/v1/webhooks").then().statusCode(400)
                .body("errors.field", hasItem("url"));
        Api.admin().body(Map.of("url", "http://127.0.0.1/x", "types", List.of("task.exploded"))).post("/api/v1/webhooks")
                .then().statusCode(400).body("errors.field", hasItem("types"));
        Api.admin().body(Map.of("url", "http://127.0.0.1/x", "types", List.of("nothing."))).post("/api/v1/webhooks")
                .then().statusCode(400).body("errors.field", hasItem("types"));
        Api.agent("orchestrator").request().body(Map.of("url", "http://127.0.0.1/x")).post("/api/v1/webhooks")
                .then().statusCode(403);
        Api.admin().get("/api/v1/webhooks/999999999").then().statusCode(404);
        Api.admin().body(Map.of("state", "disabled")).patch("/api/v1/webhooks/1").then().statusCode(400);
    }

    @Test
    void deliversEveryMatchingEventInOrderSignedAndMovesTheCursor() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("hook");
        String path = "ordered-" + label;
        JsonPath created = create(receiver.url(path), label, List.of("task."));
        String secret = created.getString("secret");
        long id = created.getLong("webhook.id");

        List<Long> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tasks.add(Api.task(orchestrator, Map.of("labels", List.of(label), "assignee", worker.name())));
        }
        worker.request().body(Map.of("labels", List.of(label))).post("/api/v1/tasks/claim").then().statusCode(200);
        Api.task(orchestrator, Map.of("labels", List.of("other-" + label))); // not for this webhook

        List<Long> expected = orchestrator.request().get("/api/v1/events?limit=200&type=task.*&after=" + (created.getLong("webhook.cursor")))
                .then().statusCode(200).extract().jsonPath().getList("items", Map.class).stream()
                .filter(e -> e.get("data") instanceof Map<?, ?> d && d.get("task") instanceof Map<?, ?> t
                        && ((List<?>) t.get("labels")).contains(label))
                .map(e -> ((Number) e.get("id")).longValue()).toList();
        assertThat(expected).hasSize(6); // 5 task.created, 1 task.status_changed (the claim)
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received(path).size() >= expected.size());
        List<Received> got = receiver.received(path);
        assertThat(ids(got)).isEqualTo(expected);
        for (Received request : got) {
            assertThat(WebhookReceiver.verify(secret, request)).as("signature of %s", request.id()).isTrue();
            JsonObject event = new JsonObject(request.body());
            assertThat(event.getLong("id")).isEqualTo(Long.parseLong(request.id()));
            assertThat(Math.abs(Long.parseLong(request.timestamp()) - System.currentTimeMillis() / 1000)).isLessThan(60);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> webhook(id).getLong("cursor") == expected.getLast());
        assertThat(new JsonObject(got.getFirst().body()).getString("type")).isEqualTo("task.created");
        Api.admin().get("/api/v1/webhooks/" + id + "/deliveries?limit=3").then().statusCode(200)
                .body("items[0].eventId", is(expected.getLast().intValue()))
                .body("items[0].status", is(204)).body("items[0].attempt", is(1));
    }

    @Test
    void failingReceiversAreRetriedLoggedAndDoNotHoldUpOthers() {
        TestAgent orchestrator = Api.agent("orchestrator");
        String label = Api.uniqueName("fail");
        String healthy = "healthy-" + label;
        create(receiver.url(healthy), label, List.of("task.created"));
        Map<Mode, Long> broken = new HashMap<>();
        for (Mode mode : List.of(Mode.ERROR_500, Mode.TIMEOUT, Mode.CLOSE, Mode.REDIRECT, Mode.ENDLESS_BODY)) {
            String path = mode + "-" + label;
            receiver.mode(path, mode);
            broken.put(mode, create(receiver.url(path), label, List.of("task.created")).getLong("webhook.id"));
        }
        long task = Api.task(orchestrator, Map.of("labels", List.of(label)));

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received(healthy).size() == 1);
        for (var entry : broken.entrySet()) {
            String path = entry.getKey() + "-" + label;
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received(path).size() >= 2);
            JsonPath log = Api.admin().get("/api/v1/webhooks/" + entry.getValue() + "/deliveries").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(log.getList("items")).as("log of %s", entry.getKey()).hasSizeGreaterThanOrEqualTo(1);
            assertThat(log.getString("items[0].error")).as("error of %s", entry.getKey()).isNotBlank();
            Integer status = log.get("items[0].status");
            switch (entry.getKey()) {
                case ERROR_500 -> assertThat(status).isEqualTo(500);
                case REDIRECT -> assertThat(status).isEqualTo(302);
                case TIMEOUT, CLOSE -> assertThat(status).isNull();
                case ENDLESS_BODY -> assertThat(log.getString("items[0].error")).contains("bytes");
                default -> { }
            }
            JsonPath state = webhook(entry.getValue());
            assertThat(state.getInt("failures")).isGreaterThanOrEqualTo(1);
            assertThat(state.getString("lastError")).isNotBlank();
            List<Received> attempts = receiver.received(path);
            assertThat(attempts).extracting(Received::id).containsOnly(attempts.getFirst().id());
        }
        // Healed: the same event is delivered, and the cursor moves on.
        for (var entry : broken.entrySet()) {
            receiver.mode(entry.getKey() + "-" + label, Mode.OK);
        }
        long eventId = Long.parseLong(receiver.received(healthy).getFirst().id());
        for (long id : broken.values()) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> webhook(id).getLong("cursor") == eventId);
            assertThat(webhook(id).getInt("failures")).isZero();
        }
        assertThat(task).isPositive();
    }

    @Test
    void aReceiverDownForAWhileGetsEverythingItMissedInOrder() throws Exception {
        TestAgent orchestrator = Api.agent("orchestrator");
        String label = Api.uniqueName("down");
        WebhookReceiver own = WebhookReceiver.start();
        int port = own.port();
        String path = "down-" + label;
        JsonPath created = create(own.url(path), label, List.of("task.created"));
        long id = created.getLong("webhook.id");
        String secret = created.getString("secret");
        own.close();

        List<Long> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tasks.add(Api.task(orchestrator, Map.of("labels", List.of(label))));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> webhook(id).getInt("failures") >= 2);

        try (WebhookReceiver back = WebhookReceiver.start(port)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> back.received(path).size() >= 10);
            List<Received> got = back.received(path);
            List<Long> taskIds = got.stream().map(r -> new JsonObject(r.body()).getLong("taskId")).toList();
            assertThat(taskIds).isEqualTo(tasks);
            assertThat(got).allMatch(r -> WebhookReceiver.verify(secret, r));
            long last = Long.parseLong(got.getLast().id());
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> webhook(id).getLong("cursor") == last);
            assertThat(webhook(id).getInt("failures")).isZero();
        }
    }

    @Test
    void pauseResumeAndReplay() {
        TestAgent orchestrator = Api.agent("orchestrator");
        String label = Api.uniqueName("pause");
        String path = "pause-" + label;
        long id = create(receiver.url(path), label, List.of("task.created")).getLong("webhook.id");
        Api.admin().body(Map.of("state", "paused")).patch("/api/v1/webhooks/" + id).then().statusCode(200)
                .body("state", is("paused"));
        Api.task(orchestrator, Map.of("labels", List.of(label)));
        Awaitility.await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> receiver.received(path).isEmpty());

        Api.admin().body(Map.of("state", "active")).patch("/api/v1/webhooks/" + id).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received(path).size() == 1);
        long first = Long.parseLong(receiver.received(path).getFirst().id());

        Api.admin().body(Map.of("after", first - 1)).post("/api/v1/webhooks/" + id + "/replay").then().statusCode(200)
                .body("cursor", is((int) first - 1));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received(path).size() == 2);
        assertThat(receiver.received(path).get(1).id()).isEqualTo(Long.toString(first));
        Api.admin().body(Map.of()).post("/api/v1/webhooks/" + id + "/replay").then().statusCode(400)
                .body("errors.field", hasItem("after"));
        Api.admin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
        Api.admin().get("/api/v1/webhooks/" + id).then().statusCode(404);
    }

    @Test
    void aRotatedSecretSignsInParallelWithThePreviousOne() {
        TestAgent orchestrator = Api.agent("orchestrator");
        String label = Api.uniqueName("rotate");
        String path = "rotate-" + label;
        JsonPath created = create(receiver.url(path), label, List.of("task.created"));
        long id = created.getLong("webhook.id");
        String old = created.getString("secret");
        String fresh = Api.admin().post("/api/v1/webhooks/" + id + "/secret").then().statusCode(200)
                .body("secret", startsWith("whsec_")).extract().path("secret");
        assertThat(fresh).isNotEqualTo(old);

        Api.task(orchestrator, Map.of("labels", List.of(label)));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received(path).size() == 1);
        Received request = receiver.received(path).getFirst();
        assertThat(request.signature().split(" ")).hasSize(2);
        assertThat(WebhookReceiver.verify(old, request)).isTrue();
        assertThat(WebhookReceiver.verify(fresh, request)).isTrue();
        String unrelated = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(WebhookReceiver.verify(unrelated, request)).isFalse();
    }
}
