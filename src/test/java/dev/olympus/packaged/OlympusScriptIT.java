package dev.olympus.packaged;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./olympus} stops its embedded PostgreSQL on every way out: SIGINT (Ctrl-C), SIGTERM (a process manager,
 * {@code kill}) and SIGHUP (a closed terminal) exit 0 with the database stopped; the service dying leaves no database
 * either. Runs the real script in a temporary OLYMPUS_HOME on free ports, with the jar Failsafe just packaged
 * (OLYMPUS_SKIP_BUILD=1).
 */
class OlympusScriptIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Path home;

    @BeforeAll
    static void home() throws IOException {
        home = Files.createTempDirectory("olympus-script-it-");
    }

    @AfterAll
    static void noDatabaseLeft() {
        // Whatever happened above, stop a database a failed run left behind.
        postmaster().ifPresent(ProcessHandle::destroy);
    }

    @Test
    void everyRequestedStopStopsTheDatabaseAndExitsZero() throws Exception {
        for (String signal : List.of("INT", "TERM", "HUP")) {
            Run run = start();
            ProcessHandle database = postmaster().orElseThrow(() -> new AssertionError("no PostgreSQL for " + home));
            List<ProcessHandle> children = run.script.descendants().toList();
            new ProcessBuilder("kill", "-" + signal, Long.toString(run.script.pid())).start().waitFor();
            assertThat(run.script.waitFor(60, TimeUnit.SECONDS)).as("the script ends after SIG" + signal).isTrue();
            assertThat(run.script.exitValue()).as("exit status after SIG" + signal + "\n" + run.log()).isZero();
            assertStopped(database, children, run, "SIG" + signal);
        }
    }

    @Test
    void aServiceThatDiesTakesTheDatabaseDownWithIt() throws Exception {
        Run run = start();
        ProcessHandle database = postmaster().orElseThrow();
        List<ProcessHandle> children = run.script.descendants().toList();
        ProcessHandle service = run.script.toHandle().children()
                .filter(child -> child.info().command().orElse("").endsWith("/java")).findFirst().orElseThrow();
        service.destroyForcibly();
        assertThat(run.script.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.script.exitValue()).as("the service's failure is the script's").isNotZero();
        assertStopped(database, children, run, "the service's death");
    }

    private static void assertStopped(ProcessHandle database, List<ProcessHandle> children, Run run, String after) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !database.isAlive());
        assertThat(postmaster()).as("PostgreSQL of " + home + " after " + after + "\n" + run.log()).isEmpty();
        assertThat(home.resolve("pgdata").resolve("postmaster.pid")).doesNotExist();
        assertThat(children).as("the script's processes (the service) after " + after).noneMatch(ProcessHandle::isAlive);
    }

    private static Run start() throws IOException {
        int httpPort = freePort();
        Path log = Files.createTempFile("olympus-script-it-", ".log");
        // As from a terminal: a build tool started in the background may pass INT and HUP on ignored, and a shell
        // cannot trap a signal that was ignored when it started.
        ProcessBuilder builder = new ProcessBuilder("env", "--default-signal=INT,HUP,TERM", "./olympus")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "OLYMPUS_HOME", home.toString(),
                "OLYMPUS_DB_PORT", Integer.toString(freePort()),
                "QUARKUS_HTTP_PORT", Integer.toString(httpPort),
                "OLYMPUS_SKIP_BUILD", "1",
                "OLYMPUS_JAVA_HOME", System.getProperty("java.home")));
        Run run = new Run(builder.start(), log);
        URI ready = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!run.script.isAlive()) {
                throw new AssertionError("./olympus ended during start:\n" + run.log());
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return run;
    }

    /** The postmaster of this test's data folder, if one runs (its command line names the folder). */
    private static Optional<ProcessHandle> postmaster() {
        String data = home.resolve("pgdata").toString();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(data)
                        && p.info().command().orElse("").endsWith("/postgres"))
                .findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Run(Process script, Path logFile) {
        String log() {
            try {
                return Files.readString(logFile);
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }
}
