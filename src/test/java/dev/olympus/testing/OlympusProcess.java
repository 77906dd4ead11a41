package dev.olympus.testing;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A running instance of the packaged application ({@code target/quarkus-app/quarkus-run.jar}) in its own
 * process, for tests that need several instances on one database, or a crash ({@link #kill()}).
 * Used by the {@code *IT} tests, which Failsafe runs after packaging.
 */
public final class OlympusProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final Process process;
    private final int port;
    private final Path log;

    private OlympusProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts an instance with {@code config} (Quarkus/Olympus property names) and waits until it is ready. */
    public static OlympusProcess start(Map<String, String> config) {
        OlympusProcess instance = launch(config);
        instance.awaitReady(Duration.ofSeconds(120));
        return instance;
    }

    /** Starts an instance without waiting, e.g. to start several at once; call {@link #awaitReady}. */
    public static OlympusProcess launch(Map<String, String> config) {
        return launch(config, Map.of());
    }

    /**
     * As {@link #launch(Map)}, with environment variables besides ({@code QUARKUS_DATASOURCE_REACTIVE_URL}, ...): the
     * way an operator configures a container.
     */
    public static OlympusProcess launch(Map<String, String> config, Map<String, String> environment) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after 'package' (./mvnw verify)");
        }
        try {
            int port = freePort();
            Path log = Files.createTempFile("olympus-it-" + port + "-", ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-Dquarkus.http.port=" + port,
                    "-Dquarkus.http.host=127.0.0.1"));
            config.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-jar");
            command.add(JAR.toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new OlympusProcess(process, port, log);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the packaged application", e);
        }
    }

    public void awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newHttpClient();
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The instance exited during start:\n" + log());
                }
                try {
                    return client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    return false; // not listening yet
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("The instance was not ready within " + timeout + ":\n" + log());
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: a crash, no shutdown hooks. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM: a graceful shutdown. */
    public void terminate() {
        process.destroy();
        waitFor();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            terminate();
        }
    }

    private void waitFor() {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
