package dev.olympus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** Task writes that keep the lease state: the epoch goes out on every PATCH and comes back from claims and starts. */
final class Tasks {

    static final String EPOCH_HEADER = "Olympus-Lease-Epoch";
    /** Statuses after which the task is no longer held by anyone: its epoch is forgotten. */
    private static final Set<String> NOT_HELD = Set.of("todo", "done", "failed", "canceled");

    private Tasks() {}

    static String path(long id) {
        return "/api/v1/tasks/" + id;
    }

    /** A JSON merge patch of the task, fenced by the remembered lease epoch (409 lease-lost once it moved on). */
    static Api.Response patch(Cli cli, long id, ObjectNode body) {
        Map<String, String> headers = new HashMap<>();
        OptionalLong epoch = cli.leases().epoch(id);
        epoch.ifPresent(e -> headers.put(EPOCH_HEADER, Long.toString(e)));
        Api.Response response = cli.api().send("PATCH", path(id), body, headers, cli.timeout);
        if (response.status() >= 300) {
            CliException failure = cli.api().failure(response);
            if ("task-canceled".equals(failure.code())) {
                cli.leases().forget(id);
            }
            throw failure;
        }
        boolean started = "in_progress".equals(body.path("status").asText());
        track(cli, response.json(), epoch.isPresent() || started);
        return response;
    }

    /** Remembers the epoch of a task this agent holds (claimed, started); forgets it once the task is let go. */
    static void track(Cli cli, JsonNode task, boolean held) {
        if (!task.has("id")) {
            return;
        }
        long id = task.get("id").asLong();
        if (NOT_HELD.contains(task.path("status").asText())) {
            cli.leases().forget(id);
        } else if (held && task.has("leaseEpoch")) {
            cli.leases().remember(id, task.get("leaseEpoch").asLong());
        }
    }
}
