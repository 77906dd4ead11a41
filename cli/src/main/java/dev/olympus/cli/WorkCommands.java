package dev.olympus.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** A worker's day: claim, heartbeat, comment, and the status moves of a held task. */
final class WorkCommands {

    private WorkCommands() {}

    @Command(name = "claim", description = "Claim the next ready task (exit 3 when there is none).")
    static final class Claim extends Base {
        @Option(names = {"-l", "--label"}, paramLabel = "LABEL", description = "Only tasks carrying one of these labels (repeatable).")
        List<String> labels;
        @Option(names = "--wait", paramLabel = "SECONDS", description = "Wait up to 1..60 s for a task to become claimable.")
        Integer waitSeconds;

        @Override
        int run() {
            if (waitSeconds != null && (waitSeconds < 1 || waitSeconds > 60)) {
                throw CliException.usage("--wait must be 1..60 seconds");
            }
            ObjectNode body = object();
            putList(body, "labels", labels);
            String path = "/api/v1/tasks/claim" + (waitSeconds == null ? "" : "?wait=" + waitSeconds);
            Duration timeout = waitSeconds == null ? cli().timeout : cli().timeout.plusSeconds(waitSeconds);
            Api.Response response = api().call("POST", path, body, Map.of(), timeout);
            if (response.status() == 204) {
                if (cli().tables()) {
                    cli().err.println("Nothing to claim.");
                }
                return Exit.NOTHING_TO_DO;
            }
            Tasks.track(cli(), response.json(), true);
            output().resource(response);
            return Exit.OK;
        }
    }

    @Command(name = "heartbeat", description = "Tell the server this agent is alive; with --task also renew that task's lease.")
    static final class Heartbeat extends Base {
        @Option(names = "--task", paramLabel = "ID", description = "The task being worked on (renews its lease, fenced by its lease epoch).")
        Long taskId;
        @Option(names = "--status", paramLabel = "idle|working", description = "idle or working.")
        String status;
        @Option(names = "--note", paramLabel = "TEXT", description = "A short note (up to 1024 characters).")
        String note;
        @Mixin
        Inputs.Usage usage;

        @Override
        int run() {
            if (status != null && !status.equals("idle") && !status.equals("working")) {
                throw CliException.usage("--status must be idle or working");
            }
            ObjectNode body = object();
            if (status != null) {
                body.put("status", status);
            }
            if (taskId != null) {
                body.put("taskId", taskId);
                OptionalLong epoch = cli().leases().epoch(taskId);
                epoch.ifPresent(e -> body.put("leaseEpoch", e));
            }
            if (note != null) {
                body.put("note", note);
            }
            usage.addTo(body);
            Api.Response response = api().send("POST", "/api/v1/agents/me/heartbeat", body, Map.of(), cli().timeout);
            if (response.status() >= 300) {
                CliException failure = api().failure(response);
                if (taskId != null && "task-canceled".equals(failure.code())) {
                    cli().leases().forget(taskId);
                }
                throw failure;
            }
            response.json().path("canceledTaskIds").forEach(id -> cli().leases().forget(id.asLong()));
            output().resource(response);
            return Exit.OK;
        }
    }

    @Command(name = "comment", description = "Comment on a task: TEXT, or --file FILE, or stdin.")
    static final class CommentOn extends Base {
        @Parameters(index = "0", paramLabel = "TASK")
        long taskId;
        @Parameters(index = "1", paramLabel = "TEXT", arity = "0..1", description = "The comment (default: read --file or stdin).")
        String text;
        @Option(names = "--file", paramLabel = "FILE", description = "Read the comment from FILE (- for stdin).")
        String file;

        @Override
        int run() {
            String body = text != null ? text : Json.readText(file == null ? "-" : file, cli().in);
            required(body, "the comment text");
            ObjectNode request = object();
            request.put("body", body);
            output().resource(api().call("POST", Tasks.path(taskId) + "/comments", request));
            return Exit.OK;
        }
    }

    /** A status move of one task, with the lease epoch, an optional comment and usage. */
    abstract static class Move extends Base {
        @Parameters(index = "0", paramLabel = "TASK")
        long taskId;
        @Mixin
        Inputs.Usage usage;

        abstract String status();

        void fill(ObjectNode body) {
        }

        @Override
        int run() {
            ObjectNode body = object();
            body.put("status", status());
            fill(body);
            usage.addTo(body);
            output().resource(Tasks.patch(cli(), taskId, body));
            return Exit.OK;
        }
    }

    @Command(name = "start", description = "Move a task to in_progress (and hold its lease).")
    static final class Start extends Move {
        @Override
        String status() {
            return "in_progress";
        }
    }

    @Command(name = "block", description = "Move a task to blocked, saying why.")
    static final class Block extends Move {
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why it is blocked (stored as a comment; needed unless you commented in the last minutes).")
        String reason;
        @Option(names = "--on", paramLabel = "TASK", split = ",", description = "Blocked on these tasks: back to todo by itself when they are all done.")
        List<Long> blockedOn;

        @Override
        String status() {
            return "blocked";
        }

        @Override
        void fill(ObjectNode body) {
            if (reason != null) {
                body.put("comment", required(reason, "--reason"));
            }
            putList(body, "blockedOn", blockedOn);
        }
    }

    @Command(name = "review", description = "Move a task to in_review with its result (and evidence).")
    static final class Review extends Move {
        @Mixin
        Inputs.Result result;
        @Mixin
        Inputs.Evidence evidence;

        @Override
        String status() {
            return "in_review";
        }

        @Override
        void fill(ObjectNode body) {
            result.addTo(body);
            evidence.addTo(body);
        }
    }

    @Command(name = "done", description = "Move a task to done with its result (--result, or --result-file FILE|-).")
    static final class Done extends Move {
        @Mixin
        Inputs.Result result;
        @Mixin
        Inputs.Evidence evidence;
        @Option(names = "--comment", paramLabel = "TEXT", description = "A comment stored with the move.")
        String comment;

        @Override
        String status() {
            return "done";
        }

        @Override
        void fill(ObjectNode body) {
            result.addTo(body);
            evidence.addTo(body);
            if (comment != null) {
                body.put("comment", comment);
            }
        }
    }

    @Command(name = "fail", description = "Move a task to failed.")
    static final class Fail extends Move {
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why it failed (stored as a comment).")
        String reason;
        @Mixin
        Inputs.Result result;

        @Override
        String status() {
            return "failed";
        }

        @Override
        void fill(ObjectNode body) {
            if (reason != null) {
                body.put("comment", required(reason, "--reason"));
            }
            result.addTo(body);
        }
    }

    @Command(name = "release", description = "Give a task back (to todo): a holder releasing it, or a planner reopening it.")
    static final class Release extends Move {
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (stored as a comment).")
        String reason;

        @Override
        String status() {
            return "todo";
        }

        @Override
        void fill(ObjectNode body) {
            if (reason != null) {
                body.put("comment", required(reason, "--reason"));
            }
        }
    }

    @Command(name = "cancel", description = "Cancel a task with a reason (orchestrators, operators).")
    static final class Cancel extends Base {
        @Parameters(index = "0", paramLabel = "TASK")
        long taskId;
        @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why (1..2000 characters; stored as a comment).")
        String reason;
        @Option(names = "--cascade", description = "Also cancel the not-yet-started tasks that depend on it.")
        boolean cascade;

        @Override
        int run() {
            required(reason, "--reason");
            if (reason.length() > 2000) {
                throw CliException.usage("--reason must be at most 2000 characters");
            }
            ObjectNode body = object();
            body.put("reason", reason);
            if (cascade) {
                body.put("cascade", true);
            }
            Api.Response response = api().call("POST", Tasks.path(taskId) + "/cancel", body);
            cli().leases().forget(taskId);
            output().resource(response);
            return Exit.OK;
        }
    }

    @Command(name = "retry", description = "Retry a failed task as a new task (orchestrators, operators).")
    static final class Retry extends Base {
        @Parameters(index = "0", paramLabel = "TASK")
        long taskId;
        @Option(names = "--assignee", paramLabel = "AGENT", description = "Assign the retry (default: back to the pool).")
        String assignee;

        @Override
        int run() {
            ObjectNode body = object();
            if (assignee != null) {
                body.put("assignee", assignee);
            }
            output().resource(api().call("POST", Tasks.path(taskId) + "/retry", body));
            return Exit.OK;
        }
    }
}
