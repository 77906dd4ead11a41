package dev.olympus.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lease-epoch round trip: the CLI remembers the epoch of a claim in its state file and sends it on later writes
 * (another process, like a cron worker's next step), so once the task was requeued and claimed again, its next
 * write exits 4 with lease-lost instead of overwriting the new holder's work.
 */
class LeaseEpochIT {

    private static OlympusServer server;

    @BeforeAll
    static void start() {
        server = OlympusServer.start("lease", Map.of("olympus.scheduler.interval", "1s", "olympus.lease.duration", "6s",
                "olympus.lease.requeue-after", "1s"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRequeuedTaskFencesOffItsFormerHolder() throws Exception {
        Oly admin = Oly.admin(server);
        Oly worker = Oly.newAgent(server, "lease", "worker");
        Oly restarted = Oly.as(server, worker.env.get("OLYMPUS_API_KEY")); // the same agent, a fresh state file
        long task = CommandsIT.ok(admin.run("tasks", "create", "--title", "Leased work", "--assignee", worker.name()))
                .json().path("id").asLong();

        JsonNode claimed = CommandsIT.ok(worker.run("claim")).json();
        assertThat(claimed.path("id").asLong()).isEqualTo(task);
        long epoch = claimed.path("leaseEpoch").asLong();
        Path state = worker.home.resolve(".config/olympus/state.json");
        assertThat(Files.readString(state)).contains("\"" + task + "\":{\"epoch\":" + epoch);
        assertThat(Files.readString(state)).doesNotContain(worker.env.get("OLYMPUS_API_KEY"));
        assertThat(Files.getPosixFilePermissions(state)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        CommandsIT.ok(worker.run("heartbeat", "--task", Long.toString(task)));

        // silent past the lease: the scheduler requeues the task, and the worker's restarted process claims it again
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                admin.run("tasks", "show", Long.toString(task)).json().path("status").asText().equals("todo"));
        JsonNode again = CommandsIT.ok(restarted.run("claim")).json();
        assertThat(again.path("id").asLong()).isEqualTo(task);
        assertThat(again.path("leaseEpoch").asLong()).isGreaterThan(epoch);

        Oly.Result stale = worker.run("done", Long.toString(task), "--result", "stale work");
        CommandsIT.fails(stale, 4, "lease-lost");
        CommandsIT.fails(worker.run("heartbeat", "--task", Long.toString(task)), 4, "lease-lost");
        assertThat(admin.run("tasks", "show", Long.toString(task)).json().path("status").asText()).isEqualTo("in_progress");

        JsonNode done = CommandsIT.ok(restarted.run("done", Long.toString(task), "--result", "fresh work")).json();
        assertThat(done.path("result").asText()).isEqualTo("fresh work");
        assertThat(Files.readString(restarted.home.resolve(".config/olympus/state.json"))).doesNotContain("\"" + task + "\"");
    }
}
