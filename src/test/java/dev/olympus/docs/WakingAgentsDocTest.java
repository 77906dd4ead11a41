package dev.olympus.docs;

import dev.olympus.testing.Api;
import dev.olympus.testing.Api.TestAgent;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** Runs the two examples of docs/waking-agents.md exactly as the page shows them. */
@QuarkusTest
class WakingAgentsDocTest {

    @TestHTTPResource("/")
    URL base;

    /** The fenced block that follows {@code <!-- example: name -->} on the page. */
    static String example(String name) throws IOException {
        String page = Files.readString(Path.of("docs", "waking-agents.md"));
        Matcher block = Pattern.compile("<!-- example: " + Pattern.quote(name) + " -->\\s*```\\w*\\n(.*?)```", Pattern.DOTALL)
                .matcher(page);
        assertThat(block.find()).as("example %s on the page", name).isTrue();
        return block.group(1);
    }

    private static Path script(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, example(name));
        file.toFile().setExecutable(true);
        return file;
    }

    @Test
    void theReceiverVerifiesTheSignatureAndStartsAWorkerForItsTask() throws Exception {
        Path dir = Files.createTempDirectory("receiver");
        Path receiverScript = script(dir, "receiver.py");
        Path spawned = dir.resolve("spawned.txt");
        TestAgent worker = Api.agent("worker");
        TestAgent orchestrator = Api.agent("orchestrator");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String secret = Api.admin().body(Map.of("url", "http://127.0.0.1:" + port + "/olympus",
                        "types", List.of("task.created", "task.ready"), "assignee", worker.name()))
                .post("/api/v1/webhooks").then().statusCode(201).extract().path("secret");
        ProcessBuilder builder = new ProcessBuilder("python3", receiverScript.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("receiver.log").toFile());
        builder.environment().putAll(Map.of("OLYMPUS_WEBHOOK_SECRET", secret, "AGENT", worker.name(), "PORT",
                Integer.toString(port), "WORKER_COMMAND", "sh -c 'echo $TASK_ID >> " + spawned + "'"));
        Process receiver = builder.start();
        try {
            long id = Api.task(orchestrator, Map.of("title", Api.uniqueName("wake"), "assignee", worker.name()));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                    Files.exists(spawned) && Files.readString(spawned).trim().equals(Long.toString(id)));
            assertThat(Files.readString(dir.resolve("receiver.log"))).contains("verified event");

            HttpResponse<Void> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/olympus"))
                    .header("webhook-id", "1").header("webhook-timestamp", Long.toString(System.currentTimeMillis() / 1000))
                    .header("webhook-signature", "v1,AAAA").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(forged.statusCode()).isEqualTo(401);
        } finally {
            receiver.destroy();
            receiver.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theWorkerLoopWaitsForItsTaskDoesItAndReportsIt() throws Exception {
        Path dir = Files.createTempDirectory("worker");
        Path loop = script(dir, "worker-loop.sh");
        String label = Api.uniqueName("loop");
        TestAgent worker = Api.agent("worker", Map.of("capabilities", List.of(label)));
        TestAgent orchestrator = Api.agent("orchestrator");
        ProcessBuilder builder = new ProcessBuilder("bash", loop.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("loop.log").toFile());
        builder.environment().putAll(Map.of("OLYMPUS_URL", base.toString().replaceAll("/$", ""), "OLYMPUS_KEY", worker.key(),
                "MAX_ROUNDS", "1", "WORK_COMMAND", "echo built", "CLAIM_BODY", "{\"labels\":[\"" + label + "\"]}"));
        Process process = builder.start();
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(process::isAlive);
        long id = Api.task(orchestrator, Map.of("title", Api.uniqueName("loop"), "assignee", worker.name(),
                "priority", "critical", "labels", List.of(label)));
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(Files.readString(dir.resolve("loop.log"))).isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("loop.log"))).isZero();
        orchestrator.request().get("/api/v1/tasks/" + id).then().statusCode(200)
                .body("status", is("done")).body("result", is("built"));
    }
}
