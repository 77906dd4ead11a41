package dev.olympus.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.olympus.cli.it.CommandsIT.createTask;
import static dev.olympus.cli.it.CommandsIT.fails;
import static dev.olympus.cli.it.CommandsIT.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** cancel (with cascade) and agents pause/resume against the packaged server. */
class StoppingWorkIT {

    private final OlympusServer server = OlympusServer.shared();

    @Test
    void cancelingAHeldTaskStopsItsHolder() throws Exception {
        Oly planner = Oly.newAgent(server, "cancel-boss", "orchestrator");
        Oly worker = Oly.newAgent(server, "cancel-work", "worker");
        long held = createTask(planner, "--title", "Superseded work", "--assignee", worker.name());
        long next = createTask(planner, "--title", "Depends on it", "--depends-on", Long.toString(held));
        long last = createTask(planner, "--title", "Depends on that", "--depends-on", Long.toString(next));
        assertThat(ok(worker.run("claim")).json().path("id").asLong()).isEqualTo(held);

        JsonNode canceled = ok(planner.run("cancel", Long.toString(held), "--reason", "superseded by #12", "--cascade")).json();
        assertThat(canceled.path("status").asText()).isEqualTo("canceled");
        assertThat(canceled.path("cascaded").toString()).contains(Long.toString(next), Long.toString(last));
        assertThat(ok(planner.run("tasks", "show", Long.toString(last))).json().path("status").asText()).isEqualTo("canceled");

        JsonNode beat = ok(worker.run("heartbeat")).json();
        assertThat(beat.path("canceledTaskIds").toString()).contains(Long.toString(held));
        Path state = worker.home.resolve(".config/olympus/state.json");
        assertThat(Files.readString(state)).doesNotContain("\"" + held + "\":");
        fails(worker.run("done", Long.toString(held), "--result", "too late"), 4, "task-canceled");

        fails(planner.run("cancel", Long.toString(held), "--reason", "again"), 4, "invalid-transition");
        fails(worker.run("cancel", Long.toString(next), "--reason", "workers cannot"), 5, "forbidden");
    }

    @Test
    void aPausedAgentKeepsItsWorkButGetsNoNewWork() {
        Oly planner = Oly.newAgent(server, "pause-boss", "orchestrator");
        Oly worker = Oly.newAgent(server, "pause-work", "worker");
        long held = createTask(planner, "--title", "Held while paused", "--assignee", worker.name());
        long waiting = createTask(planner, "--title", "Waits for the resume", "--assignee", worker.name(), "--priority", "low");
        assertThat(ok(worker.run("claim")).json().path("id").asLong()).isEqualTo(held);

        JsonNode paused = ok(planner.run("agents", "pause", worker.name(), "--reason", "over budget")).json();
        assertThat(paused.path("state").asText()).isEqualTo("paused");
        Oly.Result nothing = worker.run("claim");
        assertThat(nothing.exit()).as(nothing.toString()).isEqualTo(3);
        fails(worker.run("start", Long.toString(waiting)), 4, "agent-paused");
        ok(worker.run("heartbeat", "--task", Long.toString(held)));
        assertThat(ok(worker.run("done", Long.toString(held), "--result", "finished anyway")).json().path("status").asText())
                .isEqualTo("done");

        JsonNode resumed = ok(planner.run("agents", "resume", worker.name())).json();
        assertThat(resumed.path("state").asText()).isNotEqualTo("paused");
        assertThat(ok(worker.run("claim")).json().path("id").asLong()).isEqualTo(waiting);
        fails(worker.run("agents", "pause", planner.name(), "--reason", "no"), 5, "forbidden");
    }
}
