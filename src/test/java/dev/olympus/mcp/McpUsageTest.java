package dev.olympus.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URL;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** MCP: heartbeat and update_task carry usage; whoami shows the budget and the period's usage. */
@QuarkusTest
class McpUsageTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void usageThroughToolsAndBudgetInWhoami() {
        TestAgent main = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("mcp-usage");
        long id = Api.task(main, Map.of("title", "mcp " + label, "assignee", worker.name(), "labels", List.of(label)));
        Api.admin().body("{\"costUsd\": 10, \"period\": \"month\"}").put("/api/v1/agents/" + worker.name() + "/budget")
                .then().statusCode(200);
        try (McpSession session = McpSession.connect(base, worker.key())) {
            session.ok("claim_task", Map.of("labels", List.of(label)));
            session.ok("heartbeat", Map.of("taskId", id, "usage", Map.of("costUsd", 0.25, "inputTokens", 100)));
            JsonNode task = session.ok("update_task", Map.of("taskId", id, "usage", Map.of("costUsd", 0.5, "model", "m")));
            assertThat(task.path("usage").path("costUsd").decimalValue()).isEqualByComparingTo(new BigDecimal("0.75"));
            JsonNode bad = session.problem("update_task", Map.of("taskId", id, "usage", Map.of("costUsd", -1)));
            assertThat(bad.toString()).contains("usage.costUsd");

            JsonNode me = session.ok("whoami", Map.of());
            assertThat(me.path("budget").path("period").asText()).isEqualTo("month");
            assertThat(me.path("budget").path("spentUsd").decimalValue()).isEqualByComparingTo(new BigDecimal("0.75"));
            assertThat(me.path("periodUsage").path("costUsd").decimalValue()).isEqualByComparingTo(new BigDecimal("0.75"));
            assertThat(me.path("periodUsage").path("inputTokens").asLong()).isEqualTo(100);
        }
    }
}
