package dev.olympus.cli.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL for the CLI's ITs (the minimal part of the server's testing/TestDatabase: this is a separate
 * project). As root, PostgreSQL runs as the {@code postgres} user; stopped and deleted at JVM exit.
 */
final class TestDatabase {

    private static TestDatabase instance;

    private final Path dir;
    private final Path bin;
    private final int port;

    private TestDatabase(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
    }

    static synchronized TestDatabase get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    /** A new empty database; the configuration of an Olympus instance using it. */
    Map<String, String> newDatabase(String prefix) {
        String db = (prefix + "_" + Long.toString(System.nanoTime(), 36)).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        run(List.of(bin.resolve("psql").toString(), "-h", dir.toString(), "-p", Integer.toString(port), "-U", "postgres",
                "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE " + db + " OWNER olympus"));
        return Map.of("olympus.db.host", "127.0.0.1", "olympus.db.port", Integer.toString(port), "olympus.db.name", db,
                "olympus.db.user", "olympus", "olympus.db.password", "olympus");
    }

    private static TestDatabase start() {
        Path bin = findBinaries();
        try {
            Path dir = Files.createTempDirectory("olympus-cli-it-pg-");
            if (isRoot()) {
                run(List.of("chown", "postgres:postgres", dir.toString()));
            }
            run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                    "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"));
            int port = freePort();
            // Durability switched off: this database lives for one test run.
            String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200"
                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                    dir.resolve("log").toString(), "-w", "-o", options, "start"));
            run(List.of(bin.resolve("psql").toString(), "-h", dir.toString(), "-p", Integer.toString(port), "-U", "postgres",
                    "-v", "ON_ERROR_STOP=1", "-c", "CREATE USER olympus WITH PASSWORD 'olympus'"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
                } catch (RuntimeException ignored) {
                    // already stopped
                }
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary folder
                }
            }));
            return new TestDatabase(dir, bin, port);
        } catch (IOException e) {
            throw new IllegalStateException("Could not prepare the test database", e);
        }
    }

    private static Path findBinaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("The ITs need PostgreSQL server binaries: apt-get install -y postgresql");
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (isRoot() && !command.getFirst().equals("chown")) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("Command failed: " + String.join(" ", full) + "\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
