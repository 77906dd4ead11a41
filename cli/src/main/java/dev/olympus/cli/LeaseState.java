package dev.olympus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The lease epochs of the tasks this agent claimed or started, in {@code state.json} beside the config, so that a
 * later call (another process: a cron worker's next step) sends {@code Olympus-Lease-Epoch} on its writes and is
 * fenced off (409 lease-lost) once the task was taken away. Scoped per server and key (a hash, never the key), and
 * updated under a file lock: several workers may share one home.
 */
final class LeaseState {

    static final String FILE = "state.json";
    /** Entries nobody touched for this long are dropped (their tasks were long finished or taken). */
    private static final Duration KEEP = Duration.ofDays(14);

    private final Path file;
    private final String scope;

    LeaseState(Config config) {
        this.file = config.dir().resolve(FILE);
        this.scope = config.url() + "#" + fingerprint(config.apiKey());
    }

    OptionalLong epoch(long taskId) {
        JsonNode entry = read().path("leases").path(scope).path(Long.toString(taskId));
        return entry.has("epoch") ? OptionalLong.of(entry.get("epoch").asLong()) : OptionalLong.empty();
    }

    void remember(long taskId, long epoch) {
        update(leases -> {
            ObjectNode entry = Json.object();
            entry.put("epoch", epoch);
            entry.put("at", Instant.now().toString());
            leases.set(Long.toString(taskId), entry);
        });
    }

    void forget(long taskId) {
        update(leases -> leases.remove(Long.toString(taskId)));
    }

    private JsonNode read() {
        if (!Files.exists(file)) {
            return Json.object();
        }
        try {
            return Json.parse(Files.readString(file));
        } catch (IOException e) {
            return Json.object(); // a damaged state file only loses fencing, never blocks work
        }
    }

    private void update(Consumer<ObjectNode> change) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE); var lock = channel.lock()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
                while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                    // read it all
                }
                String text = new String(buffer.array(), StandardCharsets.UTF_8);
                ObjectNode root = text.isBlank() ? Json.object() : parseOrEmpty(text);
                ObjectNode leases = root.withObjectProperty("leases").withObjectProperty(scope);
                change.accept(leases);
                prune(root);
                byte[] bytes = Json.write(root).getBytes(StandardCharsets.UTF_8);
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(bytes), 0);
            }
        } catch (IOException | UnsupportedOperationException e) {
            Cli.current().debug("could not update " + file + ": " + e);
        }
    }

    private static ObjectNode parseOrEmpty(String text) {
        try {
            return Json.parse(text) instanceof ObjectNode o ? o : Json.object();
        } catch (IOException e) {
            return Json.object();
        }
    }

    private static void prune(ObjectNode root) {
        Instant cutoff = Instant.now().minus(KEEP);
        root.path("leases").forEach(scoped -> {
            if (scoped instanceof ObjectNode entries) {
                entries.properties().removeIf(e -> {
                    String at = e.getValue().path("at").asText("");
                    return at.isEmpty() || Instant.parse(at).isBefore(cutoff);
                });
            }
        });
    }

    private static String fingerprint(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
