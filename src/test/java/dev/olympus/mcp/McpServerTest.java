package dev.olympus.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real MCP client (the official Java SDK, Streamable HTTP) against the running application. */
@QuarkusTest
class McpServerTest {

    @TestHTTPResource("/")
    URL base;

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @jakarta.inject.Inject
    dev.olympus.ratelimit.RateLimiter limiter;

    @Test
    void listsTheToolsWithDescriptionsAndSchemas() {
        try (McpSession session = McpSession.connect(base, Api.agent("worker").key())) {
            McpSchema.InitializeResult init = session.client.getCurrentInitializationResult();
            assertThat(init.protocolVersion()).isEqualTo("2025-11-25");
            assertThat(init.serverInfo().name()).isEqualTo("olympus");
            assertThat(init.instructions()).contains("whoami");

            Map<String, McpSchema.Tool> tools = session.client.listTools().tools().stream()
                    .collect(java.util.stream.Collectors.toMap(McpSchema.Tool::name, t -> t));
            assertThat(tools).containsKeys("list_tasks", "get_task", "create_task", "claim_task", "update_task",
                    "comment_on_task", "heartbeat", "list_agents", "whoami", "velocity", "create_plan");
            tools.values().forEach(tool -> assertThat(tool.description()).as(tool.name()).hasSizeGreaterThan(40));

            McpSchema.Tool update = tools.get("update_task");
            assertThat(update.inputSchema().get("properties")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsKeys("taskId", "status", "result", "comment", "expectedVersion");
            assertThat(update.inputSchema().get("required")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                    .containsExactly("taskId");
            assertThat(update.description()).contains("block-reason-required");
            assertThat(tools.get("list_tasks").annotations().readOnlyHint()).isTrue();
        }
    }

    @Test
    void workerFlowThroughMcp() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        String label = Api.uniqueName("mcp");
        try (McpSession main = McpSession.connect(base, orchestrator.key());
             McpSession session = McpSession.connect(base, worker.key())) {
            JsonNode created = main.ok("create_task", Map.of("title", "Write the MCP parser", "assignee", worker.name(),
                    "priority", "high", "labels", List.of(label), "description", "Parse MCP messages"));
            long id = created.get("id").asLong();
            assertThat(created.get("status").asText()).isEqualTo("todo");
            assertThat(created.get("createdBy").asText()).isEqualTo(orchestrator.name());

            assertThat(session.ok("whoami", Map.of()).get("role").asText()).isEqualTo("worker");
            JsonNode mine = session.ok("list_tasks", Map.of("assignee", "me", "label", label));
            assertThat(mine.get("items")).hasSize(1);
            assertThat(mine.get("items").get(0).get("id").asLong()).isEqualTo(id);

            JsonNode claimed = session.ok("claim_task", Map.of("labels", List.of(label))).get("task");
            assertThat(claimed.get("id").asLong()).isEqualTo(id);
            assertThat(claimed.get("status").asText()).isEqualTo("in_progress");
            assertThat(claimed.get("leaseExpiresAt").isNull()).isFalse();
            long epoch = claimed.get("leaseEpoch").asLong();
            assertThat(session.ok("claim_task", Map.of("labels", List.of(label))).get("task").isNull()).isTrue();

            JsonNode beat = session.ok("heartbeat", Map.of("status", "working", "taskId", id, "leaseEpoch", epoch,
                    "note", "parsing"));
            assertThat(beat.get("leaseExpiresAt").isNull()).isFalse();
            assertThat(beat.get("nextHeartbeatDueAt").isNull()).isFalse();

            // Blocking needs a reason: refused without one, accepted with the comment stored alongside.
            JsonNode refused = session.problem("update_task", Map.of("taskId", id, "status", "blocked"));
            assertThat(refused.get("code").asText()).isEqualTo("block-reason-required");
            assertThat(refused.get("status").asInt()).isEqualTo(422);
            JsonNode blocked = session.ok("update_task", Map.of("taskId", id, "status", "blocked",
                    "comment", "Need the grammar from the orchestrator"));
            assertThat(blocked.get("status").asText()).isEqualTo("blocked");

            JsonNode note = session.ok("comment_on_task", Map.of("taskId", id, "body", "Grammar received, resuming"));
            assertThat(note.get("author").asText()).isEqualTo(worker.name());
            session.ok("update_task", Map.of("taskId", id, "status", "in_progress"));

            JsonNode done = session.ok("update_task", Map.of("taskId", id, "status", "done",
                    "result", "Parser merged in #12"));
            assertThat(done.get("status").asText()).isEqualTo("done");
            assertThat(done.get("result").asText()).isEqualTo("Parser merged in #12");

            JsonNode velocity = main.ok("velocity", Map.of("createdBy", "me", "bucket", "day"));
            assertThat(velocity.get("total").get("created").asInt()).isEqualTo(1);
            assertThat(velocity.get("total").get("completed").asInt()).isEqualTo(1);

            JsonNode details = main.ok("get_task", Map.of("taskId", id));
            assertThat(details.get("task").get("status").asText()).isEqualTo("done");
            assertThat(details.get("comments")).extracting(c -> c.get("body").asText())
                    .containsExactly("Need the grammar from the orchestrator", "Grammar received, resuming");
        }
    }

    @Test
    void planReviewAndEvidenceThroughMcp() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        try (McpSession main = McpSession.connect(base, orchestrator.key());
             McpSession session = McpSession.connect(base, worker.key())) {
            JsonNode plan = main.ok("create_plan", Map.of("tasks", List.of(
                    Map.of("ref", "a", "title", Api.uniqueName("plan a"), "assignee", worker.name(), "reviewRequired", true,
                            "acceptanceCriteria", List.of("it works")),
                    Map.of("ref", "b", "title", Api.uniqueName("plan b"), "dependsOn", List.of("a")))));
            long a = plan.get("tasks").get(0).get("id").asLong();
            assertThat(plan.get("tasks").get(1).get("dependsOn").get(0).asLong()).isEqualTo(a);
            session.ok("update_task", Map.of("taskId", a, "status", "in_progress"));
            JsonNode inReview = session.ok("update_task", Map.of("taskId", a, "status", "in_review",
                    "evidence", List.of(Map.of("criterion", 0, "text", "demo recorded"))));
            assertThat(inReview.get("evidence").get(0).get("text").asText()).isEqualTo("demo recorded");
            // the oldest review in the shared test database: maybe another test's, held for us all the same
            JsonNode claimed = main.ok("claim_task", Map.of("review", true)).get("task");
            assertThat(claimed.get("reviewHolder").asText()).isEqualTo(orchestrator.name());
            JsonNode accepted = main.ok("update_task", Map.of("taskId", a, "status", "done"));
            assertThat(accepted.get("reviewedBy").asText()).isEqualTo(orchestrator.name());
        }
    }

    @Test
    void getTaskShowsDependencies() {
        TestAgent orchestrator = Api.agent("orchestrator");
        try (McpSession main = McpSession.connect(base, orchestrator.key())) {
            long first = main.ok("create_task", Map.of("title", Api.uniqueName("first"))).get("id").asLong();
            long second = main.ok("create_task", Map.of("title", Api.uniqueName("second"), "dependsOn", List.of(first)))
                    .get("id").asLong();
            JsonNode details = main.ok("get_task", Map.of("taskId", second));
            assertThat(details.get("task").get("ready").asBoolean()).isFalse();
            assertThat(details.get("dependencies")).hasSize(1);
            assertThat(details.get("dependencies").get(0).get("id").asLong()).isEqualTo(first);
            assertThat(details.get("dependencies").get(0).get("status").asText()).isEqualTo("todo");
        }
    }

    @Test
    void observerMayReadButEveryWriteIsForbidden() {
        TestAgent orchestrator = Api.agent("orchestrator");
        long id = Api.task(orchestrator, Api.uniqueName("watched"), null);
        try (McpSession observer = McpSession.connect(base, Api.agent("observer").key())) {
            assertThat(observer.ok("get_task", Map.of("taskId", id)).get("task").get("id").asLong()).isEqualTo(id);
            for (var call : List.of(
                    Map.entry("create_task", Map.<String, Object>of("title", "nope")),
                    Map.entry("update_task", Map.<String, Object>of("taskId", id, "status", "canceled")),
                    Map.entry("comment_on_task", Map.<String, Object>of("taskId", id, "body", "hello")),
                    Map.entry("claim_task", Map.<String, Object>of()))) {
                JsonNode problem = observer.problem(call.getKey(), call.getValue());
                assertThat(problem.get("code").asText()).as(call.getKey()).isEqualTo("forbidden");
                assertThat(problem.get("status").asInt()).isEqualTo(403);
            }
        }
        Api.admin().get("/api/v1/tasks/" + id).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.is("todo")).body("commentCount", org.hamcrest.Matchers.is(0));
    }

    @Test
    void whileFrozenWritesAreRefusedButHeartbeatsAndReadsGoOn() {
        TestAgent orchestrator = Api.agent("orchestrator");
        long id = Api.task(orchestrator, Api.uniqueName("frozen"), null);
        try (McpSession main = McpSession.connect(base, orchestrator.key())) {
            Api.admin().body(Map.of("reason", "release")).post("/api/v1/system/freeze").then().statusCode(200);
            try {
                JsonNode refused = main.problem("comment_on_task", Map.of("taskId", id, "body", "still here"));
                assertThat(refused.get("code").asText()).isEqualTo("system-frozen");
                assertThat(refused.get("status").asInt()).isEqualTo(423);
                assertThat(main.problem("create_task", Map.of("title", Api.uniqueName("nope"))).get("code").asText())
                        .isEqualTo("system-frozen");
                main.ok("heartbeat", Map.of("status", "idle"));
                main.ok("get_task", Map.of("taskId", id));
            } finally {
                Api.admin().post("/api/v1/system/unfreeze").then().statusCode(200);
            }
            main.ok("comment_on_task", Map.of("taskId", id, "body", "thawed"));
        }
    }

    @Test
    void toolCallsShareTheAgentsRateLimitWithRest() {
        TestAgent observer = Api.agent("observer");
        try (McpSession session = McpSession.connect(base, observer.key())) {
            // One budget per agent, the limiter REST's filter uses: spend it, then call a tool.
            long agentId = pool.preparedQuery("SELECT id FROM agents WHERE name = $1")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(observer.name())).await().indefinitely()
                    .iterator().next().getLong("id");
            while (limiter.acquire(agentId, dev.olympus.auth.Role.OBSERVER).allowed()) {
                // spend
            }
            observer.request().get("/api/v1/system").then().statusCode(429);
            JsonNode limited = session.problem("list_agents", Map.of());
            assertThat(limited.get("code").asText()).isEqualTo("rate-limited");
            assertThat(limited.get("status").asInt()).isEqualTo(429);
            assertThat(limited.get("retryAfter").asLong()).isPositive();
        }
    }

    @Test
    void workerMayNotCreateNorTouchOthersTasks() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent owner = Api.agent("worker");
        long id = Api.task(orchestrator, Api.uniqueName("owned"), owner.name());
        try (McpSession other = McpSession.connect(base, Api.agent("worker").key())) {
            assertThat(other.problem("create_task", Map.of("title", "mine")).get("code").asText()).isEqualTo("forbidden");
            assertThat(other.problem("update_task", Map.of("taskId", id, "result", "mine now")).get("code").asText())
                    .isEqualTo("forbidden");
        }
    }

    @Test
    void invalidArgumentsAndMissingTasksAreProblemsToo() {
        try (McpSession main = McpSession.connect(base, Api.agent("orchestrator").key())) {
            JsonNode invalid = main.problem("create_task", Map.of("title", "x".repeat(201), "priority", "urgent"));
            assertThat(invalid.get("code").asText()).isEqualTo("validation-failed");
            assertThat(invalid.get("status").asInt()).isEqualTo(400);
            assertThat(invalid.get("errors")).extracting(e -> e.get("field").asText()).contains("priority");

            JsonNode tooLong = main.problem("create_task", Map.of("title", "x".repeat(201)));
            assertThat(tooLong.get("errors").get(0).get("field").asText()).isEqualTo("title");

            // Missing, mistyped and unknown arguments: the REST 400 with one error per field.
            JsonNode arguments = main.problem("update_task", Map.of("status", 3, "labels", List.of(1), "colour", "red"));
            assertThat(arguments.get("code").asText()).isEqualTo("validation-failed");
            assertThat(arguments.get("errors")).extracting(e -> e.get("field").asText() + ": " + e.get("message").asText())
                    .containsExactly("colour: unknown field", "labels: must be an array of strings",
                            "status: must be a string", "taskId: is required");
            assertThat(main.problem("get_task", Map.of("taskId", "seven")).get("errors").get(0).get("message").asText())
                    .isEqualTo("must be an integer");

            JsonNode missing = main.problem("get_task", Map.of("taskId", Long.MAX_VALUE));
            assertThat(missing.get("code").asText()).isEqualTo("not-found");

            JsonNode badFilter = main.problem("list_tasks", Map.of("status", "sleeping"));
            assertThat(badFilter.get("code").asText()).isEqualTo("validation-failed");
            assertThat(main.problem("list_tasks", Map.of("limit", 500)).get("errors").get(0).get("field").asText())
                    .isEqualTo("limit");
        }
    }

    @Test
    void withoutAValidCredentialTheConnectionIsRefused() {
        for (String key : new String[] {null, "olk_not-a-real-key-000000000000000000"}) {
            try (McpSession anonymous = McpSession.as(base, key)) {
                assertThatThrownBy(anonymous::initialize).satisfies(e -> assertThat(
                        rootOrSelf(e, McpHttpClientTransportAuthorizationException.class).getResponseInfo().statusCode())
                        .isEqualTo(401));
            }
        }
        io.restassured.RestAssured.given().contentType("application/json")
                .header("Accept", "application/json, text/event-stream")
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")
                .post("/mcp").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"))
                .body("code", org.hamcrest.Matchers.is("unauthorized"));
    }

    @Test
    void aKilledAgentsSessionIsRefused() {
        TestAgent worker = Api.agent("worker");
        try (McpSession session = McpSession.connect(base, worker.key())) {
            session.ok("whoami", Map.of());
            Api.admin().body(Map.of("reason", "misbehaving")).post("/api/v1/agents/" + worker.name() + "/kill")
                    .then().statusCode(200);
            // Every instance learns a kill within a second (the credential cache); this one at once, but do not rely on it.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThatThrownBy(() -> session.call("list_tasks", Map.of()))
                    .satisfies(e -> assertThat(rootOrSelf(e, McpHttpClientTransportAuthorizationException.class)
                            .getResponseInfo().statusCode()).isEqualTo(403)));
        }
        io.restassured.RestAssured.given().contentType("application/json")
                .header("Authorization", "Bearer " + worker.key())
                .header("Accept", "application/json, text/event-stream")
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")
                .post("/mcp").then().statusCode(403)
                .body("code", org.hamcrest.Matchers.is("agent-killed"));
    }

    @Test
    void resourcesAndPromptsHelpAnAgentOrientItself() {
        TestAgent orchestrator = Api.agent("orchestrator");
        TestAgent worker = Api.agent("worker");
        long open = Api.task(orchestrator, Api.uniqueName("open"), worker.name());
        try (McpSession session = McpSession.connect(base, worker.key())) {
            assertThat(session.client.listResources().resources()).extracting(McpSchema.Resource::uri)
                    .contains("olympus://tasks/mine", "olympus://agents/me");
            var mine = session.client.readResource(new McpSchema.ReadResourceRequest("olympus://tasks/mine"));
            String text = ((McpSchema.TextResourceContents) mine.contents().getFirst()).text();
            assertThat(text).contains("\"id\":" + open);

            var task = session.client.readResource(new McpSchema.ReadResourceRequest("olympus://tasks/" + open));
            assertThat(((McpSchema.TextResourceContents) task.contents().getFirst()).text()).contains("\"comments\":[]");

            var prompt = session.client.getPrompt(new McpSchema.GetPromptRequest("worker_loop", Map.of("labels", "java")));
            String loop = ((McpSchema.TextContent) prompt.messages().getFirst().content()).text();
            assertThat(loop).contains("claim_task", "heartbeat", "block-reason-required", "\"java\"");
        }
    }

    private static <T extends Throwable> T rootOrSelf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + e);
    }
}
