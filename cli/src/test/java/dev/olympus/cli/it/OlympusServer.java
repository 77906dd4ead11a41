package dev.olympus.cli.it;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged server ({@code -Dolympus.server.jar}, passed by ./verify) on its own database of the throwaway
 * PostgreSQL, with a known admin key. {@link #shared()} is one instance for most ITs: a small task-creation budget
 * (5 per agent per 6 s) so that 429s happen and the CLI waits them out.
 */
final class OlympusServer implements AutoCloseable {

    static final String ADMIN_KEY = "olk_cli-it-admin-0123456789abcdefghijklmnopqrstu";
    static final int CREATE_BUDGET = 5;
    static final int CREATE_WINDOW_SECONDS = 6;

    private static OlympusServer shared;

    private final Process process;
    private final int port;
    private final Path log;

    private OlympusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static synchronized OlympusServer shared() {
        if (shared == null) {
            shared = start("shared", Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    static OlympusServer start(String name, Map<String, String> overrides) {
        Path jar = Path.of(System.getProperty("olympus.server.jar", "../target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the server first (./mvnw package), or run ./verify");
        }
        Map<String, String> config = new HashMap<>(TestDatabase.get().newDatabase("cli_" + name));
        config.put("olympus.bootstrap-key", ADMIN_KEY);
        config.put("olympus.tasks.create-budget-per-minute", Integer.toString(CREATE_BUDGET));
        config.put("olympus.tasks.create-budget-window", CREATE_WINDOW_SECONDS + "s");
        config.putAll(overrides);
        try {
            int port = TestDatabase.freePort();
            Path log = Files.createTempFile("olympus-cli-it-" + name + "-", ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1"));
            config.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.addAll(List.of("-jar", jar.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            OlympusServer server = new OlympusServer(process, port, log);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the server", e);
        }
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newHttpClient();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The server exited during start:\n" + log());
                }
                try {
                    return client.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                            .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("The server was not ready in time:\n" + log());
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
