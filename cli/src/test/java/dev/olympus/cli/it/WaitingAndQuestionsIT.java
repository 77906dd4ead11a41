package dev.olympus.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.olympus.cli.it.CommandsIT.createTask;
import static dev.olympus.cli.it.CommandsIT.fails;
import static dev.olympus.cli.it.CommandsIT.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * claim --wait and the questions commands against the packaged server (RequestShapeIT only checks what they send):
 * a waiting claim is answered by a task created meanwhile, and a question blocks the worker's task until the
 * orchestrator answers it, after which the worker's remembered lease epoch still holds.
 */
class WaitingAndQuestionsIT {

    private static OlympusServer server;

    @BeforeAll
    static void start() {
        server = OlympusServer.shared();
    }

    /** Labels of their own, so that the shared server's other tasks and workers never get in the way. */
    private static String label(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    @Test
    void aWaitingClaimGetsTheTaskCreatedMeanwhile() throws Exception {
        String label = label("wait-demo");
        Oly planner = Oly.newAgent(server, "wait-boss", "orchestrator");
        Oly worker = Oly.newAgent(server, "wait-work", "worker", "--capability", label);

        Process waiting = worker.start("claim", "--wait", "20", "--label", label);
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(waiting.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(waiting.getErrorStream()));
        waiting.getOutputStream().close();
        // Still running 2 s later: nothing was claimable, so the server holds the request (a plain claim exits 3 at once).
        Awaitility.await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(waiting::isAlive);
        long started = System.nanoTime();
        long task = createTask(planner, "--title", "Arrives while the worker waits", "--label", label);

        assertThat(waiting.waitFor(30, TimeUnit.SECONDS)).as("claim --wait 20 returned").isTrue();
        Duration afterCreate = Duration.ofNanos(System.nanoTime() - started);
        String stdout = out.join();
        assertThat(waiting.exitValue()).as("exit; stdout: " + stdout + "\nstderr: " + err.join()).isZero();
        assertThat(err.join()).isEmpty();
        JsonNode claimed = Oly.JSON.readTree(stdout);
        assertThat(claimed.path("id").asLong()).isEqualTo(task);
        assertThat(claimed.path("status").asText()).isEqualTo("in_progress");
        assertThat(claimed.path("assignee").asText()).isEqualTo(worker.name());
        // woken by the creation, not by the end of the 20 s wait
        assertThat(afterCreate).isLessThan(Duration.ofSeconds(15));
        assertThat(Files.readString(stateFile(worker))).contains("\"" + task + "\":{\"epoch\":" + claimed.path("leaseEpoch").asLong());

        Oly.Result nothing = worker.run("claim", "--wait", "1", "--label", label("nothing-here"));
        assertThat(nothing.exit()).as(nothing.toString()).isEqualTo(3);
        assertThat(nothing.out()).isEmpty();
        assertThat(nothing.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anAnsweredQuestionGivesTheTaskBackUnderTheSameLease() throws Exception {
        String label = label("questions-demo");
        Oly planner = Oly.newAgent(server, "ask-boss", "orchestrator");
        Oly worker = Oly.newAgent(server, "ask-work", "worker", "--capability", label);
        long task = createTask(planner, "--title", "Archive the 2019 invoices", "--label", label);
        JsonNode claimed = ok(worker.run("claim", "--label", label)).json();
        assertThat(claimed.path("id").asLong()).isEqualTo(task);
        long epoch = claimed.path("leaseEpoch").asLong();

        JsonNode asked = ok(worker.run("questions", "ask", Long.toString(task),
                "Delete the originals after archiving, or keep them?", "--option", "delete", "--option", "keep")).json();
        long question = asked.path("id").asLong();
        assertThat(asked.path("state").asText()).isEqualTo("open");
        assertThat(asked.path("to").asText()).isEqualTo("orchestrator");
        assertThat(asked.path("askedBy").asText()).isEqualTo(worker.name());
        assertThat(asked.path("options").toString()).isEqualTo("[\"delete\",\"keep\"]");
        assertThat(ok(planner.run("tasks", "show", Long.toString(task))).json().path("status").asText()).isEqualTo("blocked");

        JsonNode inbox = ok(planner.run("questions", "list", "--state", "open", "--to", "orchestrator", "--limit", "200")).json();
        assertThat(inbox.path("items").findValuesAsText("id")).contains(Long.toString(question));
        Oly.Result table = ok(planner.tty().run("questions", "list", "--state", "open", "--task", Long.toString(task)));
        assertThat(table.out()).contains(Long.toString(question), worker.name());
        fails(worker.run("questions", "answer", Long.toString(question), "keep"), 5, "forbidden");

        // the choice alone is the answer (the server takes { choice } without an answer text)
        JsonNode answered = ok(planner.run("questions", "answer", Long.toString(question), "--choice", "keep")).json();
        assertThat(answered.path("state").asText()).isEqualTo("answered");
        assertThat(answered.path("choice").asText()).isEqualTo("keep");
        assertThat(answered.path("answeredBy").asText()).isEqualTo(planner.name());
        JsonNode resumed = ok(planner.run("tasks", "show", Long.toString(task))).json();
        assertThat(resumed.path("status").asText()).isEqualTo("in_progress");
        assertThat(resumed.path("leaseEpoch").asLong()).isEqualTo(epoch);

        // the worker's next write sends the epoch it remembered from the claim, and it still holds
        assertThat(Files.readString(stateFile(worker))).contains("\"" + task + "\":{\"epoch\":" + epoch);
        JsonNode done = ok(worker.run("done", Long.toString(task), "--result", "Archived, originals kept")).json();
        assertThat(done.path("status").asText()).isEqualTo("done");

        fails(planner.run("questions", "answer", Long.toString(question), "Delete them after all"), 4, "already-answered");
        JsonNode shown = ok(planner.run("questions", "show", Long.toString(question))).json();
        assertThat(shown.path("choice").asText()).isEqualTo("keep");
        Oly.Result neither = planner.run("questions", "answer", Long.toString(question));
        assertThat(neither.exit()).as(neither.toString()).isEqualTo(2);
    }

    private static Path stateFile(Oly agent) {
        return agent.home.resolve(".config/olympus/state.json");
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
