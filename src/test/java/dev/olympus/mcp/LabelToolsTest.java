package dev.olympus.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class LabelToolsTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void listLabelsPagesThroughEveryLabelInUse() {
        TestAgent orchestrator = Api.agent("orchestrator");
        String label = Api.uniqueName("mcp-lbl");
        Api.task(orchestrator, Map.of("title", "labelled", "labels", List.of(label)));
        List<JsonNode> found = new ArrayList<>();
        try (McpSession session = McpSession.connect(base, Api.agent("worker").key())) {
            String cursor = null;
            do {
                Map<String, Object> args = new HashMap<>(Map.of("limit", 200));
                if (cursor != null) {
                    args.put("cursor", cursor);
                }
                JsonNode page = session.ok("list_labels", args);
                page.get("items").forEach(found::add);
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            } while (cursor != null);
            assertThat(session.problem("list_labels", Map.of("limit", 0)).get("code").asText()).isEqualTo("validation-failed");
        }
        assertThat(found).anySatisfy(item -> {
            assertThat(item.get("name").asText()).isEqualTo(label);
            assertThat(item.get("tasks").asInt()).isEqualTo(1);
            assertThat(item.get("openTasks").asInt()).isEqualTo(1);
        });
    }
}
