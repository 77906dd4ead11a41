package dev.olympus.task;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.*;

@QuarkusTest
class TaskListTest {

    private static final List<String> PRIORITIES = List.of("critical", "high", "medium", "low");

    @Test
    void pagingOver250TasksSkipsAndRepeatsNothingEvenWithInsertsBetweenPages() {
        TestAgent orchestrator = Api.agent("orchestrator");
        String label = "page-" + Api.uniqueName("l");
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            created.add(Api.task(orchestrator, Map.of("title", "p" + i, "labels", List.of(label),
                    "priority", PRIORITIES.get(i % 4))));
        }
        List<Long> seen = new ArrayList<>();
        List<String> seenPriorities = new ArrayList<>();
        String cursor = null;
        int page = 0;
        do {
            var request = orchestrator.request().queryParam("label", label).queryParam("limit", 40);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var body = request.get("/api/v1/tasks").then().statusCode(200).extract().jsonPath();
            seen.addAll(body.getList("items.id", Long.class));
            seenPriorities.addAll(body.getList("items.priority", String.class));
            cursor = body.getString("nextCursor");
            // Tasks created between pages: they may or may not appear, but nothing else may change.
            Api.task(orchestrator, Map.of("title", "late " + page++, "labels", List.of(label + "-late")));
        } while (cursor != null);
        assertThat(seen).hasSize(250).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(new HashSet<>(created));
        // Default order: priority, then oldest first.
        List<Integer> ranks = seenPriorities.stream().map(PRIORITIES::indexOf).toList();
        assertThat(ranks).isSorted();
        for (String priority : PRIORITIES) {
            List<Long> ofPriority = new ArrayList<>();
            for (int i = 0; i < seen.size(); i++) {
                if (seenPriorities.get(i).equals(priority)) {
                    ofPriority.add(seen.get(i));
                }
            }
            assertThat(ofPriority).isSorted();
        }
    }

    @Test
    void filtersCombine() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent alice = Api.agent("worker");
        TestAgent bob = Api.agent("worker");
        String label = Api.uniqueName("f");
        long a1 = Api.task(orchestrator, Map.of("title", "Alpha 100% done_ish", "assignee", alice.name(), "labels", List.of(label), "priority", "high"));
        long a2 = Api.task(orchestrator, Map.of("title", "beta", "assignee", alice.name(), "labels", List.of(label)));
        long b1 = Api.task(orchestrator, Map.of("title", "gamma", "assignee", bob.name(), "labels", List.of(label)));
        long blocker = Api.task(orchestrator, Map.of("title", "delta", "labels", List.of(label)));
        long waiting = Api.task(orchestrator, Map.of("title", "epsilon", "labels", List.of(label), "dependsOn", List.of(blocker)));
        alice.request().body(Map.of("status", "in_progress")).patch("/api/v1/tasks/" + a2).then().statusCode(200);

        assertIds(orchestrator, Map.of("label", label, "assignee", alice.name()), a1, a2);
        assertIds(orchestrator, Map.of("label", label, "assignee", alice.name() + "," + bob.name()), a1, a2, b1);
        assertIds(alice, Map.of("label", label, "assignee", "me", "status", "in_progress"), a2);
        assertIds(orchestrator, Map.of("label", label, "status", "todo,in_progress", "priority", "high"), a1);
        assertIds(orchestrator, Map.of("label", label, "ready", "false"), waiting);
        assertIds(orchestrator, Map.of("label", label, "q", "100% DONE_"), a1);
        assertIds(orchestrator, Map.of("label", label, "q", "%"), a1);
        assertIds(orchestrator, Map.of("label", label, "createdBy", orchestrator.name(), "needsAttention", "false"),
                a1, a2, b1, blocker, waiting);
        assertIds(orchestrator, Map.of("label", label, "updatedSince", "2999-01-01T00:00:00Z"));
        orchestrator.request().queryParam("label", label + ",' OR 1=1 --").get("/api/v1/tasks")
                .then().statusCode(400).body("errors.field", hasItem("label"));
    }

    private static void assertIds(TestAgent agent, Map<String, String> query, Long... expected) {
        var request = agent.request();
        query.forEach(request::queryParam);
        List<Long> ids = request.get("/api/v1/tasks").then().statusCode(200).body("nextCursor", nullValue())
                .extract().jsonPath().getList("items.id", Long.class);
        assertThat(Set.copyOf(ids)).as("query %s", query).isEqualTo(Set.of(expected));
    }
}
