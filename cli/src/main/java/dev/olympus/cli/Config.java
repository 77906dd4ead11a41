package dev.olympus.cli;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where the server is and which key to use: {@code OLYMPUS_URL} and {@code OLYMPUS_API_KEY} from the environment,
 * else {@code url} and {@code api-key} from {@code ~/.config/olympus/config} (or {@code $XDG_CONFIG_HOME/olympus},
 * or {@code $OLYMPUS_CONFIG_DIR}). The key is never a command-line argument, where {@code ps} would show it; the file
 * must not be readable by group or others.
 */
record Config(URI url, String apiKey, Path dir) {

    static final String FILE = "config";

    /** The folder holding the config file and the lease state. */
    static Path dir(Map<String, String> env) {
        String explicit = env.get("OLYMPUS_CONFIG_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "olympus");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".config", "olympus");
    }

    static Config load(Map<String, String> env, String urlOverride) {
        Path dir = dir(env);
        Properties file = readFile(dir.resolve(FILE));
        String url = first(urlOverride, env.get("OLYMPUS_URL"), file.getProperty("url"), file.getProperty("OLYMPUS_URL"));
        String key = first(env.get("OLYMPUS_API_KEY"), file.getProperty("api-key"), file.getProperty("OLYMPUS_API_KEY"));
        if (url == null) {
            throw CliException.local(Exit.USAGE, "config-missing",
                    "No server URL: set OLYMPUS_URL or put url=... in " + dir.resolve(FILE) + " (see oly configure)");
        }
        if (key == null) {
            throw CliException.local(Exit.USAGE, "config-missing",
                    "No API key: set OLYMPUS_API_KEY or put api-key=... in " + dir.resolve(FILE) + " (see oly configure)");
        }
        return new Config(parseUrl(url), key, dir);
    }

    static URI parseUrl(String url) {
        String trimmed = url.strip().replaceAll("/+$", "");
        try {
            URI uri = URI.create(trimmed);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw CliException.local(Exit.USAGE, "config-invalid", "The server URL '" + trimmed
                    + "' is not an http:// or https:// URL (e.g. http://localhost:8080)");
        }
    }

    private static Properties readFile(Path file) {
        Properties properties = new Properties();
        if (!Files.exists(file)) {
            return properties;
        }
        try {
            requirePrivate(file);
            properties.load(new StringReader(Files.readString(file)));
            return properties;
        } catch (IOException e) {
            throw CliException.local(Exit.USAGE, "config-invalid", "Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A key file that others can read is a leaked key: refuse it rather than use it. */
    static void requirePrivate(Path file) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to check
        }
        boolean shared = permissions.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"));
        if (shared) {
            throw CliException.local(Exit.USAGE, "config-insecure", file + " is accessible by group or others (mode "
                    + mode(permissions) + "); it holds an API key: chmod 600 " + file);
        }
    }

    private static String mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }
}
