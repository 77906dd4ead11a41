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

/** The questions cycle through MCP with the SDK client: a worker asks, an orchestrator answers, the worker sees it. */
@QuarkusTest
class QuestionToolsTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void aWorkerAsksAnOrchestratorAnswersAndTheWorkerSeesTheAnswer() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("mcp-q");
        long id = Api.task(orchestrator, Map.of("title", "Pick the queue " + label, "labels", List.of(label)));
        try (McpSession workerSession = McpSession.connect(base, worker.key());
             McpSession mainSession = McpSession.connect(base, orchestrator.key())) {
            JsonNode claimed = workerSession.ok("claim_task", Map.of("labels", List.of(label)));
            assertThat(claimed.toString()).contains("\"id\":" + id);

            JsonNode asked = workerSession.ok("ask_question", Map.of("taskId", id, "question", "SQS or Postgres SKIP LOCKED?",
                    "options", List.of("SQS", "Postgres")));
            long qid = asked.get("id").asLong();
            assertThat(asked.get("state").asText()).isEqualTo("open");
            assertThat(workerSession.problem("ask_question", Map.of("taskId", id, "question", "  ")).get("code").asText())
                    .isEqualTo("validation-failed");

            JsonNode inbox = mainSession.ok("list_questions", Map.of("state", "open", "to", "orchestrator", "taskId", id));
            assertThat(inbox.get("items")).hasSize(1);
            assertThat(workerSession.problem("answer_question", Map.of("questionId", qid, "answer", "mine")).get("code").asText())
                    .isEqualTo("forbidden");
            JsonNode answered = mainSession.ok("answer_question", Map.of("questionId", qid, "choice", "Postgres",
                    "answer", "SKIP LOCKED: one dependency less"));
            assertThat(answered.get("state").asText()).isEqualTo("answered");
            assertThat(mainSession.problem("answer_question", Map.of("questionId", qid, "answer", "again")).get("code").asText())
                    .isEqualTo("already-answered");

            JsonNode task = workerSession.ok("get_task", Map.of("taskId", id));
            assertThat(task.toString()).contains("in_progress").contains("Answer to question #" + qid).contains("SKIP LOCKED");
        }
    }
}
