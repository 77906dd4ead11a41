package dev.olympus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** oly tasks: list, show, create, update, dependencies, comments, history. */
@Command(name = "tasks", description = "List, show, create and edit tasks.",
        subcommands = {TaskCommands.ListTasks.class, TaskCommands.Show.class, TaskCommands.Create.class,
                TaskCommands.Update.class, TaskCommands.Deps.class, TaskCommands.Comments.class, TaskCommands.History.class})
final class TaskCommands extends Group {

    /** The paging options of list endpoints. */
    abstract static class Paged extends Base {
        @Option(names = "--limit", paramLabel = "N", description = "Items per page, 1..200 (default 50).")
        Integer limit;
        @Option(names = "--cursor", paramLabel = "CURSOR", description = "The nextCursor of the previous page.")
        String cursor;

        Map<String, Object> paging() {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("limit", limit);
            params.put("cursor", cursor);
            return params;
        }
    }

    @Command(name = "list", description = "List tasks with the API's filters (default order: priority, then oldest).")
    static final class ListTasks extends Paged {
        @Option(names = "--status", split = ",", paramLabel = "STATUS", description = "todo, in_progress, blocked, in_review, done, failed, canceled (comma list).")
        List<String> status;
        @Option(names = "--assignee", split = ",", paramLabel = "AGENT", description = "Agents (comma list); 'me' for the caller.")
        List<String> assignee;
        @Option(names = "--priority", paramLabel = "PRIORITY", description = "critical, high, medium or low.")
        String priority;
        @Option(names = "--label", paramLabel = "LABEL", description = "Tasks carrying this label.")
        String label;
        @Option(names = "--ready", arity = "1", paramLabel = "true|false", description = "Only tasks whose dependencies are (not) all done.")
        Boolean ready;
        @Option(names = "--needs-attention", arity = "1", paramLabel = "true|false", description = "Only tasks the scheduler flagged (or not).")
        Boolean needsAttention;
        @Option(names = "--created-by", paramLabel = "AGENT")
        String createdBy;
        @Option(names = "--updated-since", paramLabel = "TIME", description = "ISO-8601 time, e.g. 2026-12-07T10:00:00Z.")
        String updatedSince;
        @Option(names = "--parent", paramLabel = "TASK", description = "Children of this task.")
        Long parentId;
        @Option(names = {"-q", "--query"}, paramLabel = "TEXT", description = "Text search in title and description.")
        String query;

        @Override
        int run() {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("status", status);
            params.put("assignee", assignee);
            params.put("priority", priority);
            params.put("label", label);
            params.put("ready", ready);
            params.put("needsAttention", needsAttention);
            params.put("createdBy", createdBy);
            params.put("updatedSince", updatedSince);
            params.put("parentId", parentId);
            params.put("q", query);
            params.putAll(paging());
            output().page(api().call("GET", "/api/v1/tasks" + Api.query(params), null), Output.TASK_COLUMNS);
            return Exit.OK;
        }
    }

    @Command(name = "show", description = "Show one task.")
    static final class Show extends Base {
        @Parameters(paramLabel = "TASK")
        long taskId;

        @Override
        int run() {
            output().resource(api().call("GET", Tasks.path(taskId), null));
            return Exit.OK;
        }
    }

    @Command(name = "create", description = "Create a task from flags, or from a JSON/YAML file (flags override its fields).")
    static final class Create extends Base {
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A JSON or YAML task (- for stdin).")
        String file;
        @Option(names = {"-t", "--title"}, paramLabel = "TEXT")
        String title;
        @Option(names = {"-d", "--description"}, paramLabel = "TEXT")
        String description;
        @Option(names = "--assignee", paramLabel = "AGENT")
        String assignee;
        @Option(names = {"-p", "--priority"}, paramLabel = "PRIORITY", description = "critical, high, medium or low.")
        String priority;
        @Option(names = {"-l", "--label"}, paramLabel = "LABEL", description = "Repeatable.")
        List<String> labels;
        @Option(names = "--depends-on", split = ",", paramLabel = "TASK", description = "Task ids it depends on (comma list or repeated).")
        List<Long> dependsOn;
        @Option(names = "--max-attempts", paramLabel = "N")
        Integer maxAttempts;
        @Option(names = "--parent", paramLabel = "TASK", description = "The parent task (plans and task trees).")
        Long parentId;
        @Option(names = "--review-required", description = "Done only through a review by another agent.")
        boolean reviewRequired;
        @Option(names = "--criterion", paramLabel = "TEXT", description = "An acceptance criterion (repeatable).")
        List<String> criteria;

        @Override
        int run() {
            ObjectNode body;
            if (file != null) {
                JsonNode document = Json.readDocument(file, cli().in);
                if (!(document instanceof ObjectNode o)) {
                    throw CliException.local(Exit.USAGE, "bad-input", file + " must hold one task object");
                }
                body = o;
            } else {
                body = object();
            }
            if (title != null) {
                body.put("title", title);
            }
            if (!body.hasNonNull("title")) {
                throw CliException.usage("a task needs a title: --title TEXT, or title in --file");
            }
            if (description != null) {
                body.put("description", description);
            }
            if (assignee != null) {
                body.put("assignee", assignee);
            }
            if (priority != null) {
                body.put("priority", priority);
            }
            putList(body, "labels", labels);
            putList(body, "dependsOn", dependsOn);
            if (maxAttempts != null) {
                body.put("maxAttempts", maxAttempts);
            }
            if (parentId != null) {
                body.put("parentId", parentId);
            }
            if (reviewRequired) {
                body.put("reviewRequired", true);
            }
            putList(body, "acceptanceCriteria", criteria);
            output().resource(api().call("POST", "/api/v1/tasks", body));
            return Exit.OK;
        }
    }

    @Command(name = "update", description = "Change a task's fields (planners: title, description, assignee, priority, labels).")
    static final class Update extends Base {
        @Parameters(paramLabel = "TASK")
        long taskId;
        @Option(names = {"-t", "--title"}, paramLabel = "TEXT")
        String title;
        @Option(names = {"-d", "--description"}, paramLabel = "TEXT")
        String description;
        @Option(names = "--assignee", paramLabel = "AGENT", description = "An agent, or 'none' to unassign.")
        String assignee;
        @Option(names = {"-p", "--priority"}, paramLabel = "PRIORITY")
        String priority;
        @Option(names = {"-l", "--label"}, paramLabel = "LABEL", description = "The new labels (repeatable; replaces them).")
        List<String> labels;
        @Option(names = "--if-match", paramLabel = "VERSION", description = "Only if the task is still at this version (else exit 4).")
        Long version;

        @Override
        int run() {
            ObjectNode body = object();
            if (title != null) {
                body.put("title", title);
            }
            if (description != null) {
                body.put("description", description);
            }
            if (assignee != null) {
                if ("none".equals(assignee)) {
                    body.putNull("assignee");
                } else {
                    body.put("assignee", assignee);
                }
            }
            if (priority != null) {
                body.put("priority", priority);
            }
            putList(body, "labels", labels);
            if (body.isEmpty()) {
                throw CliException.usage("nothing to change: give --title, --description, --assignee, --priority or --label");
            }
            Map<String, String> headers = version == null ? Map.of() : Map.of("If-Match", "\"" + version + "\"");
            Api.Response response = api().call("PATCH", Tasks.path(taskId), body, headers, cli().timeout);
            output().resource(response);
            return Exit.OK;
        }
    }

    @Command(name = "deps", description = "Replace a task's dependencies (planners).")
    static final class Deps extends Base {
        @Parameters(index = "0", paramLabel = "TASK")
        long taskId;
        @Option(names = "--on", split = ",", paramLabel = "TASK", description = "The tasks it depends on (comma list; none for no dependencies).")
        List<String> dependsOn;

        @Override
        int run() {
            ObjectNode body = object();
            var array = body.putArray("dependsOn");
            if (dependsOn != null) {
                for (String id : dependsOn) {
                    if (!"none".equals(id)) {
                        try {
                            array.add(Long.parseLong(id.strip()));
                        } catch (NumberFormatException e) {
                            throw CliException.usage("--on takes task ids: " + id);
                        }
                    }
                }
            }
            output().resource(api().call("PUT", Tasks.path(taskId) + "/dependencies", body));
            return Exit.OK;
        }
    }

    @Command(name = "comments", description = "A task's comments, oldest first.")
    static final class Comments extends Paged {
        @Parameters(paramLabel = "TASK")
        long taskId;

        @Override
        int run() {
            output().page(api().call("GET", Tasks.path(taskId) + "/comments" + Api.query(paging()), null), Output.COMMENT_COLUMNS);
            return Exit.OK;
        }
    }

    @Command(name = "history", description = "A task's events.")
    static final class History extends Paged {
        @Parameters(paramLabel = "TASK")
        long taskId;

        @Override
        int run() {
            output().page(api().call("GET", Tasks.path(taskId) + "/history" + Api.query(paging()), null), Output.EVENT_COLUMNS);
            return Exit.OK;
        }
    }
}
