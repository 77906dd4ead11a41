package dev.olympus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Who am I, the freeze, velocity, and writing the config file. */
final class SystemCommands {

    private SystemCommands() {}

    @Command(name = "whoami", description = "The agent this key belongs to.")
    static final class Whoami extends Base {
        @Override
        int run() {
            output().resource(api().call("GET", "/api/v1/agents/me", null));
            return Exit.OK;
        }
    }

    @Command(name = "system", description = "Whether the system is frozen.")
    static final class Status extends Base {
        @Override
        int run() {
            output().resource(api().call("GET", "/api/v1/system", null));
            return Exit.OK;
        }
    }

    @Command(name = "freeze", description = "Freeze every write by non-operators (operators).")
    static final class Freeze extends Base {
        @Option(names = "--reason", required = true, paramLabel = "TEXT")
        String reason;

        @Override
        int run() {
            ObjectNode body = object();
            body.put("reason", required(reason, "--reason"));
            output().resource(api().call("POST", "/api/v1/system/freeze", body));
            return Exit.OK;
        }
    }

    @Command(name = "unfreeze", description = "End a freeze (operators).")
    static final class Unfreeze extends Base {
        @Override
        int run() {
            output().resource(api().call("POST", "/api/v1/system/unfreeze", object()));
            return Exit.OK;
        }
    }

    @Command(name = "velocity", description = "Throughput, failure rate and cycle times over a period.")
    static final class Velocity extends Base {
        @Option(names = "--since", paramLabel = "TIME", description = "ISO-8601 start (default: the server's).")
        String since;
        @Option(names = "--until", paramLabel = "TIME")
        String until;
        @Option(names = "--bucket", paramLabel = "hour|day")
        String bucket;
        @Option(names = "--assignee", paramLabel = "AGENT")
        String assignee;
        @Option(names = "--created-by", paramLabel = "AGENT")
        String createdBy;

        @Override
        int run() {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("since", since);
            params.put("until", until);
            params.put("bucket", bucket);
            params.put("assignee", assignee);
            params.put("createdBy", createdBy);
            Api.Response response = api().call("GET", "/api/v1/metrics/velocity" + Api.query(params), null);
            if (!cli().tables()) {
                output().raw(response);
                return Exit.OK;
            }
            JsonNode json = response.json();
            cli().out.println("since " + json.path("since").asText() + "  until " + json.path("until").asText()
                    + "  bucket " + json.path("bucket").asText());
            output().fields(json.path("total"));
            if (json.path("buckets").size() > 0) {
                cli().out.println();
                output().table(json.path("buckets"), List.of(Output.Column.of("START", "start"),
                        Output.Column.of("CREATED", "created"), Output.Column.of("STARTED", "started"),
                        Output.Column.of("COMPLETED", "completed"), Output.Column.of("FAILED", "failed"),
                        Output.Column.of("VELOCITY", "effectiveVelocity")));
            }
            return Exit.OK;
        }
    }

    @Command(name = "configure", description = "Write the config file (mode 0600): the URL from --url, the API key from stdin.")
    static final class Configure extends Base {
        @Override
        int run() {
            Cli cli = cli();
            if (cli.url == null) {
                throw CliException.usage("give the server with --url, e.g. oly configure --url http://localhost:8080 <<< \"$KEY\"");
            }
            String url = Config.parseUrl(cli.url).toString();
            String key;
            var console = System.console();
            if (console != null && console.isTerminal()) {
                char[] typed = console.readPassword("API key: ");
                key = typed == null ? "" : new String(typed);
            } else {
                key = Json.readText("-", cli.in).lines().findFirst().orElse("");
            }
            key = key.strip();
            if (!key.startsWith("olk_")) {
                throw CliException.usage("the API key (read from stdin) must start with olk_");
            }
            Path dir = Config.dir(cli.env);
            Path file = dir.resolve(Config.FILE);
            try {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException ignored) {
                    // not POSIX
                }
                Path temp = Files.createTempFile(dir, "config", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(temp, "# Olympus CLI (oly): keep this file private (mode 0600)\nurl=" + url + "\napi-key=" + key + "\n",
                        StandardCharsets.UTF_8);
                Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw CliException.local(Exit.OTHER, "config-write", "Cannot write " + file + ": " + e.getMessage(), e);
            }
            if (cli.tables()) {
                cli.out.println("Wrote " + file);
            }
            return Exit.OK;
        }
    }
}
