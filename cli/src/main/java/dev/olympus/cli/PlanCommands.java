package dev.olympus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** oly plans create: a whole task tree in one transaction, from a JSON or YAML file. */
@Command(name = "plans", description = "Create plans (many tasks with dependencies, all or nothing).",
        subcommands = {PlanCommands.Create.class})
final class PlanCommands extends Group {

    @Command(name = "create", description = "Create a plan from a JSON/YAML file: {tasks: [{ref, title, dependsOn: [ref or id], ...}]} or just the list.")
    static final class Create extends Base {
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true, description = "The plan (- for stdin).")
        String file;
        @Option(names = "--parent", paramLabel = "TASK", description = "The parent task of the plan's tasks.")
        Long parentId;

        @Override
        int run() {
            JsonNode document = Json.readDocument(file, cli().in);
            ObjectNode body;
            if (document.isArray()) {
                body = object();
                body.set("tasks", document);
            } else if (document instanceof ObjectNode o && o.path("tasks").isArray()) {
                body = o;
            } else {
                throw CliException.local(Exit.USAGE, "bad-input", file + " must hold a list of tasks, or an object with 'tasks'");
            }
            int count = body.get("tasks").size();
            if (count < 1 || count > 200) {
                throw CliException.local(Exit.USAGE, "bad-input", "a plan has 1..200 tasks, " + file + " has " + count);
            }
            for (JsonNode task : body.get("tasks")) {
                if (!task.isObject() || !task.hasNonNull("ref") || !task.hasNonNull("title")) {
                    throw CliException.local(Exit.USAGE, "bad-input", "every task of a plan needs a ref and a title: " + Json.write(task));
                }
            }
            if (parentId != null) {
                body.put("parentId", parentId);
            }
            Api.Response response = api().call("POST", "/api/v1/plans", body);
            if (cli().field != null) {
                response.json().path("tasks").forEach(output()::field);
            } else if (cli().tables()) {
                output().table(response.json().path("tasks"), Output.TASK_COLUMNS);
            } else {
                output().raw(response);
            }
            return Exit.OK;
        }
    }
}
