package dev.olympus.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL for the tests of one JVM: initdb into a temporary folder, start on a free port,
 * stop at exit. As root, PostgreSQL runs as the {@code postgres} user (it refuses to run as root).
 * Set {@code OLYMPUS_TEST_DB_URL=postgresql://user:password@host:port/db} to use an existing server instead.
 */
public final class TestDatabase {

    private static TestDatabase instance;

    public final String host;
    public final int port;
    public final String name;
    public final String user;
    public final String password;
    private final Path dir;
    private final Path bin;

    private TestDatabase(String host, int port, String name, String user, String password, Path dir, Path bin) {
        this.host = host;
        this.port = port;
        this.name = name;
        this.user = user;
        this.password = password;
        this.dir = dir;
        this.bin = bin;
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            String url = System.getenv("OLYMPUS_TEST_DB_URL");
            instance = url == null || url.isBlank() ? start() : fromUrl(url);
        }
        return instance;
    }

    /** A server of its own, for tests that stop and start it (outages); stopped at JVM exit like the shared one. */
    public static TestDatabase startDedicated() {
        return start();
    }

    /** Configuration for an Olympus instance using this database. */
    public Map<String, String> config() {
        return Map.of(
                "olympus.db.host", host,
                "olympus.db.port", Integer.toString(port),
                "olympus.db.name", name,
                "olympus.db.user", user,
                "olympus.db.password", password);
    }

    /** Stops the server (for outage tests); {@link #restart()} brings it back on the same port and data. */
    public void stop() {
        requireOwned();
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
    }

    public void restart() {
        requireOwned();
        startServer(dir, bin, port);
    }

    /**
     * A new empty database on this server, for tests that need one of their own (first start, two instances).
     * @return the configuration of an Olympus instance using it
     */
    public Map<String, String> newDatabase(String prefix) {
        requireOwned();
        String db = (prefix + "_" + Long.toString(System.nanoTime(), 36)).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        run(List.of(bin.resolve("psql").toString(), "-h", dir.toString(), "-p", Integer.toString(port), "-U", "postgres",
                "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE " + db + " OWNER olympus"));
        Map<String, String> config = new java.util.HashMap<>(config());
        config.put("olympus.db.name", db);
        return config;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    private void requireOwned() {
        if (dir == null) {
            throw new IllegalStateException("The test database is external (OLYMPUS_TEST_DB_URL); it cannot be stopped from here");
        }
    }

    private static TestDatabase fromUrl(String url) {
        var uri = java.net.URI.create(url.replaceFirst("^jdbc:", ""));
        String[] userInfo = uri.getUserInfo() == null ? new String[]{"olympus", "olympus"} : uri.getUserInfo().split(":", 2);
        return new TestDatabase(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), uri.getPath().substring(1),
                userInfo[0], userInfo.length > 1 ? userInfo[1] : "", null, null);
    }

    private static TestDatabase start() {
        Path bin = findBinaries();
        try {
            Path dir = Files.createTempDirectory("olympus-test-pg-");
            if (isRoot()) {
                run(List.of("chown", "postgres:postgres", dir.toString()));
            }
            run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                    "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"));
            int port = freePort();
            startServer(dir, bin, port);
            run(List.of(bin.resolve("psql").toString(), "-h", dir.toString(), "-p", Integer.toString(port), "-U", "postgres",
                    "-v", "ON_ERROR_STOP=1",
                    "-c", "CREATE USER olympus WITH PASSWORD 'olympus'",
                    "-c", "CREATE DATABASE olympus OWNER olympus"));
            TestDatabase db = new TestDatabase("127.0.0.1", port, "olympus", "olympus", "olympus", dir, bin);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
                } catch (RuntimeException ignored) {
                    // already stopped
                }
                deleteRecursively(dir);
            }));
            return db;
        } catch (IOException e) {
            throw new IllegalStateException("Could not prepare the test database", e);
        }
    }

    private static void startServer(Path dir, Path bin, int port) {
        // Durability switched off: this database lives for one test run.
        String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=400"
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(),
                "-w", "-o", options, "start"));
    }

    private static Path findBinaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("""
                    The tests need PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/<version>/bin.
                    Install them with: apt-get install -y postgresql
                    or point the tests at a running server: OLYMPUS_TEST_DB_URL=postgresql://user:password@host:port/db""");
        }
    }

    static boolean isRoot() {
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temporary folder
        }
    }
}
