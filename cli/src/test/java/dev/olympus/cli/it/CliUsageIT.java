package dev.olympus.cli.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input without a server, and the argument handling of every command (also those whose endpoints are being
 * built): one-line problem JSON on stderr, the documented exit code, never a stack trace.
 */
class CliUsageIT {

    private static final Oly NO_SERVER = Oly.bare().with("OLYMPUS_URL", "http://127.0.0.1:" + closedPort())
            .with("OLYMPUS_API_KEY", "olk_nobody");

    private static void assertUsage(Oly.Result result, String detailPart) {
        assertThat(result.exit()).as(result.toString()).isEqualTo(2);
        assertThat(result.err().strip().lines()).as("one line").hasSize(1);
        assertThat(result.problem().path("detail").asText()).contains(detailPart);
        assertThat(result.err()).doesNotContain("\tat ", "Exception");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void unknownCommandsAndFlagsAreUsageErrors() {
        assertUsage(NO_SERVER.run("frobnicate"), "frobnicate");
        assertUsage(NO_SERVER.run("tasks", "list", "--colour", "red"), "--colour");
        assertUsage(NO_SERVER.run("tasks"), "Missing command");
        assertUsage(NO_SERVER.run("tasks", "show", "not-a-number"), "not-a-number");
        assertUsage(NO_SERVER.run("--max-wait", "-3", "whoami"), "--max-wait");
    }

    @Test
    void helpAndVersionExitZero() {
        Oly.Result help = NO_SERVER.run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("claim", "heartbeat", "questions", "plans", "events", "Exit codes");
        Oly.Result claimHelp = NO_SERVER.run("claim", "--help");
        assertThat(claimHelp.exit()).isZero();
        assertThat(claimHelp.out()).contains("--wait", "--label");
        assertThat(NO_SERVER.run("--version").out()).contains("oly 1.0");
    }

    @Test
    void aMissingKeyOrUrlIsAUsageErrorNamingTheSettings() {
        assertUsage(Oly.bare().with("OLYMPUS_URL", "http://127.0.0.1:1").run("whoami"), "OLYMPUS_API_KEY");
        assertUsage(Oly.bare().with("OLYMPUS_API_KEY", "olk_x").run("whoami"), "OLYMPUS_URL");
        assertUsage(Oly.bare().with("OLYMPUS_API_KEY", "olk_x").with("OLYMPUS_URL", "ftp://x").run("whoami"), "http");
    }

    @Test
    void theKeyIsNeverAnOption() {
        assertUsage(NO_SERVER.run("--api-key", "olk_secret", "whoami"), "--api-key");
        assertUsage(NO_SERVER.run("whoami", "--key=olk_secret"), "--key");
    }

    @Test
    void aConfigFileReadableByOthersIsRefused() throws IOException {
        Oly oly = Oly.bare();
        Path config = Files.createDirectories(oly.home.resolve(".config/olympus")).resolve("config");
        Files.writeString(config, "url=http://127.0.0.1:" + closedPort() + "\napi-key=olk_fromfile\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Oly.Result refused = oly.run("whoami");
        assertUsage(refused, "chmod 600");
        assertThat(refused.problem().path("code").asText()).isEqualTo("config-insecure");
        assertThat(refused.err()).doesNotContain("olk_fromfile");

        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        Oly.Result used = oly.run("whoami");
        assertThat(used.exit()).as("the file's URL was used: nothing listens there").isEqualTo(7);
    }

    @Test
    void configureWritesAPrivateFileFromStdin() throws IOException {
        Oly oly = Oly.bare();
        Oly.Result written = oly.runWithInput("olk_typed_key\n", "configure", "--url", "http://127.0.0.1:9/");
        assertThat(written.exit()).as(written.toString()).isZero();
        Path config = oly.home.resolve(".config/olympus/config");
        assertThat(Files.getPosixFilePermissions(config)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(config)).contains("url=http://127.0.0.1:9", "api-key=olk_typed_key");
        assertUsage(oly.runWithInput("not-a-key\n", "configure", "--url", "http://x"), "olk_");
    }

    @Test
    void anUnreachableServerExitsSeven() {
        Oly.Result result = NO_SERVER.run("whoami");
        assertThat(result.exit()).isEqualTo(7);
        assertThat(result.problem().path("code").asText()).isEqualTo("unreachable");
        assertThat(result.err().strip().lines()).hasSize(1);
        Oly.Result debug = NO_SERVER.run("--debug", "whoami");
        assertThat(debug.exit()).isEqualTo(7);
        assertThat(debug.err()).contains("\tat ");
    }

    @Test
    void malformedInputFilesAreUsageErrors() throws IOException {
        Path json = Files.writeString(NO_SERVER.home.resolve("task.json"), "{\"title\": \"x\",");
        Oly.Result badJson = NO_SERVER.run("tasks", "create", "--file", json.toString());
        assertUsage(badJson, "not valid JSON");
        assertThat(badJson.problem().path("code").asText()).isEqualTo("bad-input");
        Path yaml = Files.writeString(NO_SERVER.home.resolve("plan.yaml"), "tasks:\n  - ref: a\n   title: [x\n");
        assertUsage(NO_SERVER.run("plans", "create", "--file", yaml.toString()), "not valid YAML");
        assertUsage(NO_SERVER.run("tasks", "create", "--file", "/nonexistent/task.yaml"), "No such file");
        assertUsage(NO_SERVER.runWithInput("{\"description\":\"no title\"}", "tasks", "create", "--file", "-"), "title");
        Path noRefs = Files.writeString(NO_SERVER.home.resolve("norefs.yaml"), "tasks:\n  - title: A\n");
        assertUsage(NO_SERVER.run("plans", "create", "--file", noRefs.toString()), "ref");
        Path empty = Files.writeString(NO_SERVER.home.resolve("empty.json"), "[]");
        assertUsage(NO_SERVER.run("plans", "create", "--file", empty.toString()), "1..200");
    }

    @Test
    void waveTwoCommandsCheckTheirArguments() {
        assertUsage(NO_SERVER.run("claim", "--wait", "0"), "1..60");
        assertUsage(NO_SERVER.run("claim", "--wait", "61"), "1..60");
        assertUsage(NO_SERVER.run("cancel", "5"), "--reason");
        assertUsage(NO_SERVER.run("cancel", "5", "--reason", "  "), "--reason");
        assertUsage(NO_SERVER.run("questions", "ask", "5"), "QUESTION");
        assertUsage(NO_SERVER.run("questions", "ask", "5", "   "), "QUESTION");
        assertUsage(NO_SERVER.run("questions", "ask", "5", "which?", "--option", "1", "--option", "2", "--option", "3",
                "--option", "4", "--option", "5", "--option", "6", "--option", "7", "--option", "8", "--option", "9",
                "--option", "10", "--option", "11"), "10");
        assertUsage(NO_SERVER.run("questions", "answer", "5"), "ANSWER");
        assertUsage(NO_SERVER.run("questions", "list", "--state", "maybe"), "open or answered");
        assertUsage(NO_SERVER.run("agents", "pause", "w1"), "--reason");
        assertUsage(NO_SERVER.run("agents", "resume"), "NAME");
        assertUsage(NO_SERVER.run("agents", "pause", "Not_A_Name", "--reason", "x"), "agent name");
        assertUsage(NO_SERVER.run("heartbeat", "--input-tokens", "-5"), "negative");
        assertUsage(NO_SERVER.run("heartbeat", "--status", "sleeping"), "idle or working");
        assertUsage(NO_SERVER.run("done", "5", "--evidence", "tests pass"), "INDEX=TEXT");
        assertUsage(NO_SERVER.run("done", "5", "--result", "a", "--result-file", "-"), "not both");
        assertUsage(NO_SERVER.run("events", "tail", "--count", "0"), "--count");
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
