package dev.olympus.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** oly agents: list, show, create, and the operator's levers (kill, revive, pause, resume). */
@Command(name = "agents", description = "List and manage agents.",
        subcommands = {AgentCommands.ListAgents.class, AgentCommands.Show.class, AgentCommands.Create.class,
                AgentCommands.Kill.class, AgentCommands.Revive.class, AgentCommands.Pause.class, AgentCommands.Resume.class})
final class AgentCommands extends Group {

    @Command(name = "list", description = "List agents with their state and open tasks.")
    static final class ListAgents extends TaskCommands.Paged {
        @Override
        int run() {
            output().page(api().call("GET", "/api/v1/agents" + Api.query(paging()), null), Output.AGENT_COLUMNS);
            return Exit.OK;
        }
    }

    @Command(name = "show", description = "Show one agent ('me' for yourself).")
    static final class Show extends Base {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run() {
            output().resource(api().call("GET", agentPath(name), null));
            return Exit.OK;
        }
    }

    @Command(name = "create", description = "Create an agent (operators); prints its API key once.")
    static final class Create extends Base {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "operator, orchestrator, worker or observer.")
        String role;
        @Option(names = "--description", paramLabel = "TEXT")
        String description;
        @Option(names = "--capability", paramLabel = "LABEL", description = "Repeatable.")
        List<String> capabilities;
        @Option(names = "--wip-limit", paramLabel = "N")
        Integer wipLimit;
        @Option(names = "--heartbeat-interval", paramLabel = "SECONDS")
        Integer heartbeatInterval;

        @Override
        int run() {
            agentPath(name);
            ObjectNode body = object();
            body.put("name", name);
            body.put("role", role);
            if (description != null) {
                body.put("description", description);
            }
            putList(body, "capabilities", capabilities);
            if (wipLimit != null) {
                body.put("wipLimit", wipLimit);
            }
            if (heartbeatInterval != null) {
                body.put("heartbeatIntervalSeconds", heartbeatInterval);
            }
            output().resource(api().call("POST", "/api/v1/agents", body));
            return Exit.OK;
        }
    }

    /** A POST on /agents/{name}/{action}, with a reason where the action takes one. */
    abstract static class Lever extends Base {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        abstract String action();

        String reason() {
            return null;
        }

        @Override
        int run() {
            String path = agentPath(name) + "/" + action();
            ObjectNode body = object();
            if (reason() != null) {
                body.put("reason", required(reason(), "--reason"));
            }
            output().resource(api().call("POST", path, body));
            return Exit.OK;
        }
    }

    @Command(name = "kill", description = "Kill an agent: its credentials stop working, its tasks go back to todo (operators).")
    static final class Kill extends Lever {
        @Option(names = "--reason", required = true, paramLabel = "TEXT")
        String reason;

        @Override
        String action() {
            return "kill";
        }

        @Override
        String reason() {
            return reason;
        }
    }

    @Command(name = "revive", description = "Undo a kill (operators).")
    static final class Revive extends Lever {
        @Override
        String action() {
            return "revive";
        }
    }

    @Command(name = "pause", description = "Pause an agent: it keeps what it holds but gets no new work.")
    static final class Pause extends Lever {
        @Option(names = "--reason", required = true, paramLabel = "TEXT")
        String reason;

        @Override
        String action() {
            return "pause";
        }

        @Override
        String reason() {
            return reason;
        }
    }

    @Command(name = "resume", description = "Resume a paused agent.")
    static final class Resume extends Lever {
        @Override
        String action() {
            return "resume";
        }
    }
}
