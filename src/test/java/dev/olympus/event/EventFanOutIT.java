package dev.olympus.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.testing.EventClient;
import dev.olympus.testing.OlympusProcess;
import dev.olympus.testing.TwoInstances;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two packaged instances on one database: 8 concurrent writers commit 2,000 events through both while subscribers
 * on both listen. Every subscriber receives every event exactly once, in id order, whichever instance wrote it
 * (LISTEN/NOTIFY wakes the other instance's dispatcher; the table is the truth).
 */
class EventFanOutIT {

    private static final String ADMIN_KEY = "olk_it-admin-key-0123456789abcdefghijklmn";
    private static final int WRITERS = 8;
    private static final int EVENTS_PER_WRITER = 250;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One after the other: start-up is the heaviest moment on a busy machine. */
    @RegisterExtension
    static final TwoInstances OLYMPUS = TwoInstances.onNewDatabase("fanout").adminKey(ADMIN_KEY).oneAfterTheOther();

    @Test
    void everySubscriberOnEitherInstanceReceivesEveryEventOnceInOrder() throws Exception {
        OlympusProcess a = OLYMPUS.a(), b = OLYMPUS.b();
        List<OlympusProcess> instances = List.of(a, b);

        String observer = post(a, ADMIN_KEY, "/api/v1/agents", Map.of("name", "watcher", "role", "observer")).get("apiKey").asText();
        List<String> writerKeys = new ArrayList<>();
        List<Long> tasks = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            writerKeys.add(post(a, ADMIN_KEY, "/api/v1/agents", Map.of("name", "writer-" + w, "role", "orchestrator"))
                    .get("apiKey").asText());
            tasks.add(post(b, ADMIN_KEY, "/api/v1/tasks", Map.of("title", "shared " + w)).get("id").asLong());
        }
        long start = page(a, observer, null).get("head").asLong();

        List<EventClient> subscribers = new ArrayList<>();
        try {
            for (OlympusProcess instance : instances) {
                subscribers.add(EventClient.connect(instance.baseUrl(), observer, "after=" + start));
                subscribers.add(EventClient.connect(instance.baseUrl(), ADMIN_KEY, "after=" + start));
            }

            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> {
                        for (int i = 0; i < EVENTS_PER_WRITER; i++) {
                            OlympusProcess via = instances.get((writer + i) % 2);
                            post(via, writerKeys.get(writer), "/api/v1/tasks/" + tasks.get(writer) + "/comments",
                                    Map.of("body", "w" + writer + " #" + i));
                        }
                        return null;
                    }));
                }
                for (Future<?> writer : writers) {
                    writer.get();
                }
            } finally {
                pool.shutdownNow();
            }

            List<Long> truth = allIdsAfter(a, observer, start);
            assertThat(truth).hasSize(WRITERS * EVENTS_PER_WRITER);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> subscribers.stream().allMatch(s -> s.count() >= truth.size() || s.isClosed()));
            for (EventClient subscriber : subscribers) {
                assertThat(subscriber.isClosed()).as("closed: %s %s", subscriber.closeCode(), subscriber.closeReason()).isFalse();
                assertThat(subscriber.ids()).isEqualTo(truth);
            }

            // A shuts down: its subscribers are told at once (1001, resume elsewhere); B's keep streaming.
            long stopping = System.nanoTime();
            a.terminate();
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(15));
            await().atMost(Duration.ofSeconds(5)).until(() -> subscribers.get(0).isClosed() && subscribers.get(1).isClosed());
            assertThat(subscribers.get(0).closeCode()).isEqualTo(1001);
            post(b, writerKeys.getFirst(), "/api/v1/tasks/" + tasks.getFirst() + "/comments", Map.of("body", "after A stopped"));
            await().atMost(Duration.ofSeconds(10)).until(() -> subscribers.get(2).count() == truth.size() + 1
                    && subscribers.get(3).count() == truth.size() + 1);
        } finally {
            subscribers.forEach(EventClient::close);
        }
    }

    private static JsonNode post(OlympusProcess instance, String key, String path, Map<String, Object> body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s", path, response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    private static JsonNode page(OlympusProcess instance, String key, String after) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(instance.baseUrl()
                        + "/api/v1/events?limit=200" + (after == null ? "" : "&after=" + after)))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The truth: every event after {@code start}, read from the table through the polling endpoint. */
    private static List<Long> allIdsAfter(OlympusProcess instance, String key, long start) throws Exception {
        List<Long> ids = new ArrayList<>();
        String cursor = Long.toString(start);
        while (cursor != null) {
            JsonNode page = page(instance, key, cursor);
            page.get("items").forEach(item -> ids.add(item.get("id").asLong()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        }
        return ids;
    }
}
