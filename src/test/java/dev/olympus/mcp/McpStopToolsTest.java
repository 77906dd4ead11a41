package dev.olympus.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** cancel_task, pause_agent, resume_agent and the heartbeat's canceledTaskIds through a real MCP client. */
@QuarkusTest
class McpStopToolsTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void anOrchestratorCancelsAndPausesAndTheWorkerHearsOfIt() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("mcp-stop");
        try (McpSession main = McpSession.connect(base, orchestrator.key());
             McpSession session = McpSession.connect(base, worker.key())) {
            long id = main.ok("create_task", Map.of("title", Api.uniqueName("stop"), "labels", List.of(label)))
                    .get("id").asLong();
            long dependent = main.ok("create_task", Map.of("title", Api.uniqueName("after"), "dependsOn", List.of(id)))
                    .get("id").asLong();
            assertThat(session.ok("claim_task", Map.of("labels", List.of(label))).get("task").get("id").asLong()).isEqualTo(id);

            assertThat(session.problem("cancel_task", Map.of("taskId", id, "reason", "mine")).get("code").asText())
                    .isEqualTo("forbidden");
            assertThat(main.problem("cancel_task", Map.of("taskId", id, "reason", " ")).get("code").asText())
                    .isEqualTo("cancel-reason-required");
            JsonNode canceled = main.ok("cancel_task", Map.of("taskId", id, "reason", "wrong approach", "cascade", true));
            assertThat(canceled.get("status").asText()).isEqualTo("canceled");
            assertThat(canceled.get("cascaded")).extracting(JsonNode::asLong).containsExactly(dependent);

            assertThat(session.problem("update_task", Map.of("taskId", id, "status", "done")).get("code").asText())
                    .isEqualTo("task-canceled");
            assertThat(session.ok("heartbeat", Map.of()).get("canceledTaskIds")).extracting(JsonNode::asLong).containsExactly(id);
            assertThat(session.ok("heartbeat", Map.of()).get("canceledTaskIds")).isEmpty();

            assertThat(session.problem("pause_agent", Map.of("name", worker.name(), "reason", "x")).get("code").asText())
                    .isEqualTo("forbidden");
            assertThat(main.ok("pause_agent", Map.of("name", worker.name(), "reason", "budget review"))
                    .get("state").asText()).isEqualTo("paused");
            main.ok("create_task", Map.of("title", Api.uniqueName("next"), "labels", List.of(label)));
            assertThat(session.ok("claim_task", Map.of("labels", List.of(label))).get("task").isNull()).isTrue();
            assertThat(main.ok("resume_agent", Map.of("name", worker.name())).get("state").asText()).isEqualTo("active");
            assertThat(session.ok("claim_task", Map.of("labels", List.of(label))).get("task").isNull()).isFalse();
        }
    }
}
