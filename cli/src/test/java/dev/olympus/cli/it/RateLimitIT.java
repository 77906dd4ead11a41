package dev.olympus.cli.it;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A 429 from the task-creation budget: waited out (Retry-After) within --max-wait, else exit 6. */
class RateLimitIT {

    private final OlympusServer server = OlympusServer.shared();
    private final HttpClient http = HttpClient.newHttpClient();

    /** Spends the agent's whole creation budget at once, straight over HTTP. */
    private void exhaustBudget(String key, String prefix) throws Exception {
        int refused = 0;
        for (int i = 0; refused == 0; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/tasks"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"" + prefix + " " + i + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 429) {
                refused++;
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            }
            assertThat(i).isLessThan(100);
        }
    }

    @Test
    void theCliWaitsOutRetryAfterOrExitsSix() throws Exception {
        Oly planner = Oly.newAgent(server, "budget", "orchestrator");
        String key = planner.env.get("OLYMPUS_API_KEY");

        exhaustBudget(key, "burn");
        Oly.Result refused = planner.run("--max-wait", "0", "tasks", "create", "--title", "Refused at once");
        CommandsIT.fails(refused, 6, "rate-limited");

        exhaustBudget(key, "again");
        Oly.Result waited = planner.run("--debug", "tasks", "create", "--title", "Created after waiting");
        assertThat(waited.exit()).as(waited.toString()).isZero();
        assertThat(waited.json().path("title").asText()).isEqualTo("Created after waiting");
        assertThat(waited.err()).contains("waiting").contains("(429)");
        assertThat(waited.took()).isGreaterThan(Duration.ofMillis(500));
    }

    @Test
    void aRetriedCreationWithTheSameIdempotencyKeyCreatesOnce() {
        Oly planner = Oly.newAgent(server, "idem", "orchestrator");
        String[] args = {"--idempotency-key", "nightly-" + System.nanoTime(), "tasks", "create", "--title", "Nightly report"};
        long first = CommandsIT.ok(planner.run(args)).json().path("id").asLong();
        long second = CommandsIT.ok(planner.run(args)).json().path("id").asLong();
        assertThat(second).isEqualTo(first);
        assertThat(CommandsIT.ok(planner.run("tasks", "list", "--created-by", planner.name())).json().path("items")).hasSize(1);
    }
}
