package dev.olympus.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** MCP: claim_task with waitSeconds, and the operators' webhook tools. */
@QuarkusTest
class McpWaitAndWebhookTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void claimTaskWaitsForATaskWithWaitSeconds() throws Exception {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("mcpwait");
        try (McpSession session = McpSession.connect(base, worker.key())) {
            JsonNode bad = session.problem("claim_task", Map.of("labels", List.of(label), "waitSeconds", 61));
            assertThat(bad.toString()).contains("waitSeconds");

            long start = System.nanoTime();
            // Its own thread: the MCP client answers on the common pool, which a blocked common-pool thread could starve.
            CompletableFuture<JsonNode> claimed = CompletableFuture.supplyAsync(() ->
                    session.ok("claim_task", Map.of("labels", List.of(label), "waitSeconds", 30)),
                    java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            org.awaitility.Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !claimed.isDone());
            long id = Api.task(orchestrator, Map.of("labels", List.of(label)));
            JsonNode task = claimed.get(10, TimeUnit.SECONDS).get("task");
            assertThat(task.get("id").asLong()).isEqualTo(id);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void operatorsCreateAndListWebhooks() {
        try (McpSession admin = McpSession.connect(base, dev.olympus.testing.PostgresResource.ADMIN_KEY);
             McpSession worker = McpSession.connect(base, Api.agent("worker").key())) {
            JsonNode created = admin.ok("create_webhook", Map.of("url", "http://127.0.0.1:9/mcp-hook",
                    "types", List.of("task.ready"), "label", Api.uniqueName("mcphook")));
            assertThat(created.get("secret").asText()).startsWith("whsec_");
            long id = created.get("webhook").get("id").asLong();
            JsonNode list = admin.ok("list_webhooks", Map.of("limit", 200));
            boolean found = false;
            for (JsonNode item : list.get("items")) {
                found |= item.get("id").asLong() == id;
            }
            assertThat(found).isTrue();
            assertThat(admin.problem("create_webhook", Map.of("url", "file:///etc/passwd")).toString()).contains("url");
            assertThat(worker.problem("list_webhooks", Map.of()).toString()).contains("forbidden");
            Api.admin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
        }
    }
}
