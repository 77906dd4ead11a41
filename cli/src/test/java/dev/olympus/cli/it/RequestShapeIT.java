package dev.olympus.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the commands of the Wave 2 endpoints (claim --wait, cancel, pause/resume, questions, plans, usage) send,
 * exactly as docs/api.md writes them, checked against a recording stub (the server ITs cover those that exist).
 */
class RequestShapeIT {

    record Recorded(String method, String uri, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            try {
                return Oly.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError(body, e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().getFirst())
                    .findFirst().orElse(null);
        }
    }

    private static final List<Recorded> REQUESTS = new CopyOnWriteArrayList<>();
    private static HttpServer stub;
    private static Oly oly;

    @BeforeAll
    static void start() throws IOException {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            REQUESTS.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            byte[] answer = "{\"id\":5,\"status\":\"in_progress\",\"leaseEpoch\":9,\"tasks\":[{\"id\":5}]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        stub.start();
        oly = Oly.bare().with("OLYMPUS_URL", "http://127.0.0.1:" + stub.getAddress().getPort()).with("OLYMPUS_API_KEY", "olk_shape");
    }

    @AfterAll
    static void stop() {
        stub.stop(0);
    }

    @BeforeEach
    void clear() {
        REQUESTS.clear();
    }

    private Recorded only(String... args) {
        Oly.Result result = oly.run(args);
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(REQUESTS).hasSize(1);
        Recorded request = REQUESTS.getFirst();
        assertThat(request.header("Authorization")).isEqualTo("Bearer olk_shape");
        if (request.method().equals("POST")) {
            assertThat(request.header("Idempotency-Key")).isNotBlank();
        }
        return request;
    }

    @Test
    void claimWaitsOnTheServer() {
        Recorded claim = only("claim", "--wait", "30", "--label", "java");
        assertThat(claim.uri()).isEqualTo("/api/v1/tasks/claim?wait=30");
        assertThat(claim.json().path("labels").toString()).isEqualTo("[\"java\"]");
    }

    @Test
    void cancelPauseAndResume() {
        Recorded cancel = only("cancel", "5", "--reason", "superseded", "--cascade");
        assertThat(cancel.method() + " " + cancel.uri()).isEqualTo("POST /api/v1/tasks/5/cancel");
        assertThat(cancel.json().toString()).isEqualTo("{\"reason\":\"superseded\",\"cascade\":true}");
        clear();
        Recorded pause = only("agents", "pause", "w-1", "--reason", "budget");
        assertThat(pause.method() + " " + pause.uri()).isEqualTo("POST /api/v1/agents/w-1/pause");
        assertThat(pause.json().toString()).isEqualTo("{\"reason\":\"budget\"}");
        clear();
        Recorded resume = only("agents", "resume", "w-1");
        assertThat(resume.method() + " " + resume.uri()).isEqualTo("POST /api/v1/agents/w-1/resume");
    }

    @Test
    void questions() {
        Recorded ask = only("questions", "ask", "5", "Which grammar?", "--option", "ANTLR", "--option", "PEG", "--to", "human");
        assertThat(ask.method() + " " + ask.uri()).isEqualTo("POST /api/v1/tasks/5/questions");
        assertThat(ask.json().toString()).isEqualTo("{\"question\":\"Which grammar?\",\"options\":[\"ANTLR\",\"PEG\"],\"to\":\"human\"}");
        clear();
        Recorded answer = only("questions", "answer", "12", "Use PEG", "--choice", "PEG");
        assertThat(answer.method() + " " + answer.uri()).isEqualTo("POST /api/v1/questions/12/answer");
        assertThat(answer.json().toString()).isEqualTo("{\"answer\":\"Use PEG\",\"choice\":\"PEG\"}");
        clear();
        Recorded list = only("questions", "list", "--state", "open", "--to", "human", "--task", "5");
        assertThat(list.method() + " " + list.uri()).isEqualTo("GET /api/v1/questions?state=open&to=human&taskId=5");
    }

    @Test
    void plansFromYamlWithAParent() throws IOException {
        java.nio.file.Path plan = java.nio.file.Files.writeString(oly.home.resolve("plan.yaml"),
                "- {ref: a, title: A}\n- {ref: b, title: B, dependsOn: [a, 17]}\n");
        Recorded create = only("plans", "create", "--file", plan.toString(), "--parent", "3");
        assertThat(create.method() + " " + create.uri()).isEqualTo("POST /api/v1/plans");
        assertThat(create.json().toString()).isEqualTo(
                "{\"tasks\":[{\"ref\":\"a\",\"title\":\"A\"},{\"ref\":\"b\",\"title\":\"B\",\"dependsOn\":[\"a\",17]}],\"parentId\":3}");
    }

    @Test
    void usageOnHeartbeatAndPatchWithTheLeaseEpoch() {
        only("claim");   // remembers epoch 9 of task 5
        clear();
        Recorded beat = only("heartbeat", "--task", "5", "--input-tokens", "1200", "--output-tokens", "300",
                "--cost-usd", "0.42", "--model", "m1");
        assertThat(beat.json().toString()).isEqualTo("{\"taskId\":5,\"leaseEpoch\":9,\"usage\":"
                + "{\"inputTokens\":1200,\"outputTokens\":300,\"costUsd\":0.42,\"model\":\"m1\"}}");
        clear();
        Recorded done = only("done", "5", "--result", "ok", "--evidence", "0=tests pass", "--cost-usd", "0.1");
        assertThat(done.method()).isEqualTo("PATCH");
        assertThat(done.header("Olympus-Lease-Epoch")).isEqualTo("9");
        assertThat(done.header("Content-Type")).isEqualTo("application/merge-patch+json");
        assertThat(done.json().toString()).isEqualTo("{\"status\":\"done\",\"result\":\"ok\",\"evidence\":"
                + "[{\"criterion\":0,\"text\":\"tests pass\"}],\"usage\":{\"costUsd\":0.1}}");
    }
}
