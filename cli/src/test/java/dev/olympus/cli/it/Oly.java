package dev.olympus.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs the real launcher (cli/bin/oly) as a separate process, as one agent with its own home folder. */
final class Oly {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger NAMES = new AtomicInteger();

    record Result(int exit, String out, String err, Duration took) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        JsonNode problem() {
            try {
                return JSON.readTree(err);
            } catch (IOException e) {
                throw new AssertionError("stderr is not a problem JSON: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    final Map<String, String> env;
    final Path home;

    private Oly(Map<String, String> env, Path home) {
        this.env = env;
        this.home = home;
    }

    static Path launcher() {
        return Path.of(System.getProperty("olympus.cli.home", ".")).toAbsolutePath().resolve("bin").resolve("oly");
    }

    /** An agent-less CLI: a fresh home, no URL, no key. */
    static Oly bare() {
        try {
            Path home = Files.createTempDirectory("oly-home-");
            Map<String, String> env = new HashMap<>();
            env.put("PATH", launcher().getParent() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            env.put("HOME", home.toString());
            env.put("LANG", "C.UTF-8");
            return new Oly(env, home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Oly as(OlympusServer server, String key) {
        return bare().with("OLYMPUS_URL", server.url()).with("OLYMPUS_API_KEY", key);
    }

    static Oly admin(OlympusServer server) {
        return as(server, OlympusServer.ADMIN_KEY);
    }

    /** Creates an agent (as the admin, through the CLI) and returns the CLI of that agent. */
    static Oly newAgent(OlympusServer server, String prefix, String role, String... extra) {
        String name = prefix + "-" + NAMES.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100000, 36);
        List<String> args = new ArrayList<>(List.of("agents", "create", name, "--role", role));
        args.addAll(List.of(extra));
        Result created = admin(server).run(args.toArray(String[]::new));
        if (created.exit() != 0) {
            throw new AssertionError("could not create agent " + name + ": " + created);
        }
        return as(server, created.json().path("apiKey").asText()).with("OLY_AGENT", name);
    }

    String name() {
        return env.get("OLY_AGENT");
    }

    Oly with(String name, String value) {
        Map<String, String> copy = new HashMap<>(env);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return new Oly(copy, home);
    }

    /** Tables, as at a terminal. */
    Oly tty() {
        return with("OLY_JAVA_OPTS", "-Doly.tty=true");
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher().toString());
        command.addAll(List.of(args));
        return exec(command, stdin, home);
    }

    Result exec(List<String> command, String stdin, Path dir) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        long start = System.nanoTime();
        try {
            Process process = builder.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(process.exitValue(), out.join(), err.join(), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a command without waiting for it (events tail --follow). */
    Process start(String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a command in the background; its output is collected as it comes, so a test can wait for a line. */
    Background background(String... args) {
        return new Background(start(args));
    }

    /** A command running in the background (see {@link #background}). */
    static final class Background {
        private final Process process;
        private final StringBuffer out = new StringBuffer();
        private final StringBuffer err = new StringBuffer();
        private final List<Thread> readers;
        private final long start = System.nanoTime();

        private Background(Process process) {
            this.process = process;
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            readers = List.of(Thread.ofVirtual().start(() -> copy(process.getInputStream(), out)),
                    Thread.ofVirtual().start(() -> copy(process.getErrorStream(), err)));
        }

        /** What it printed to stderr so far. */
        String err() {
            return err.toString();
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** Waits for the command to end (killing it after {@code atMost}) and returns all it printed. */
        Result finish(Duration atMost) throws InterruptedException {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("still running after " + atMost + "; stdout: " + out + "\nstderr: " + err);
            }
            for (Thread reader : readers) {
                reader.join();
            }
            return new Result(process.exitValue(), out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - start));
        }

        private static void copy(java.io.InputStream stream, StringBuffer into) {
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    into.append(line).append('\n');
                }
            } catch (IOException e) {
                into.append("(output lost: ").append(e).append(")\n");
            }
        }
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
