package dev.olympus.dashboard;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A small, realistic sprint for the screenshots: every column has something, with comments and dependencies. */
final class Demo {

    static final int TASKS = 12;

    private Demo() {}

    /** Seeds the sprint through the API; returns a word that all its descriptions contain (for {@code ?q=}). */
    static String seed() {
        String sprint = Api.uniqueName("sprint");
        TestAgent main = agent("main", "orchestrator");
        TestAgent ada = agent("ada", "worker");
        TestAgent lin = agent("lin", "worker");

        long design = task(main, sprint, "Design the claim protocol", "critical", ada, List.of("api", "design"), List.of());
        long parser = task(main, sprint, "Write the JSON merge-patch parser", "high", ada, List.of("java", "parser"), List.of());
        long docs = task(main, sprint, "Document the claim endpoint", "medium", lin, List.of("docs"), List.of());
        long flaky = task(main, sprint, "Fix the flaky lease test", "critical", ada, List.of("tests"), List.of());
        task(main, sprint, "Benchmark claims with 50 workers and report p99 latency", "medium", null, List.of("perf"), List.of(parser, docs));
        task(main, sprint, "Release notes for 0.2", "low", lin, List.of("docs"), List.of(docs));
        task(main, sprint, "Rate-limit headers from the IETF draft", "high", null, List.of("api"), List.of());
        long ci = task(main, sprint, "Move CI to the new runner", "medium", lin, List.of("ci"), List.of());
        long legacy = task(main, sprint, "Remove the legacy polling client", "low", null, List.of(), List.of());
        long examples = task(main, sprint, "OpenAPI examples for every endpoint", "low", lin, List.of("docs"), List.of());
        long index = task(main, sprint, "Index for the attention query", "medium", ada, List.of("db"), List.of());
        long charts = task(main, sprint, "Velocity charts on the dashboard", "high", lin, List.of("ui"), List.of());

        move(ada, design, "in_progress", "done");
        move(ada, parser, "in_progress");
        comment(ada, parser, "Objects merge, arrays replace; null removes a member.");
        comment(main, parser, "Remember the 256 KiB body limit.");
        move(lin, docs, "in_progress", "in_review");
        move(ada, flaky, "in_progress");
        ada.request().body(Map.of("status", "blocked", "comment", "Needs the injectable clock first.")).patch("/api/v1/tasks/" + flaky)
                .then().statusCode(200);
        move(lin, ci, "in_progress", "failed");
        comment(lin, ci, "The runner image lacks chromium.");
        main.request().body(Map.of("status", "canceled")).patch("/api/v1/tasks/" + legacy).then().statusCode(200);
        move(lin, examples, "in_progress", "done");
        move(ada, index, "in_progress");
        move(lin, charts, "in_progress", "in_review");
        return sprint;
    }

    /** An agent with a readable name (unique per run: the database is shared). */
    private static TestAgent agent(String prefix, String role) {
        String name = Api.uniqueName(prefix);
        String key = Api.admin().body(Map.of("name", name, "role", role)).post("/api/v1/agents")
                .then().statusCode(201).extract().path("apiKey");
        return new TestAgent(name, key, role);
    }

    private static long task(TestAgent creator, String sprint, String title, String priority, TestAgent assignee,
                             List<String> labels, List<Long> dependsOn) {
        Map<String, Object> body = new HashMap<>();
        body.put("title", title);
        body.put("priority", priority);
        body.put("labels", labels);
        body.put("description", "Part of the sprint " + sprint + ".");
        if (assignee != null) {
            body.put("assignee", assignee.name());
        }
        if (!dependsOn.isEmpty()) {
            body.put("dependsOn", dependsOn);
        }
        return Api.task(creator, body);
    }

    private static void move(TestAgent worker, long id, String... statuses) {
        for (String status : statuses) {
            worker.request().body(Map.of("status", status)).patch("/api/v1/tasks/" + id).then().statusCode(200);
        }
    }

    private static void comment(TestAgent author, long id, String body) {
        author.request().body(Map.of("body", body)).post("/api/v1/tasks/" + id + "/comments").then().statusCode(201);
    }
}
