package dev.olympus.db;

import io.vertx.pgclient.PgConnectOptions;

import java.util.Objects;
import java.util.Optional;

/**
 * The database's address as the operator wrote it: the reactive URL ({@code quarkus.datasource.reactive.url},
 * which {@code olympus.db.*} feed by default). Every other connection is derived from it: Flyway's JDBC URL and the
 * dedicated connections ({@link DedicatedConnections}), so that one setting moves them all.
 */
public final class DatabaseUrls {

    /** Quarkus' documented prefix for a reactive URL beside a JDBC one; the PostgreSQL client does not want it. */
    private static final String REACTIVE_PREFIX = "vertx-reactive:";

    private DatabaseUrls() {}

    /**
     * The first URL of a reactive URL setting (Quarkus accepts a comma-separated list for load balancing; the
     * dedicated connections and Flyway use the first), without Quarkus' {@code vertx-reactive:} prefix.
     */
    public static String reactive(String setting) {
        String first = setting.split(",")[0].trim();
        return first.startsWith(REACTIVE_PREFIX) ? first.substring(REACTIVE_PREFIX.length()) : first;
    }

    /** The connection options of a reactive URL, as the pool reads it. */
    public static PgConnectOptions options(String setting) {
        return PgConnectOptions.fromUri(reactive(setting));
    }

    /**
     * The JDBC URL of the same database: {@code postgresql://[user[:password]@]host[:port]/db?params} becomes
     * {@code jdbc:postgresql://host:port/db?params} (credentials come from {@code quarkus.datasource.username/password},
     * or from the URL as JDBC parameters). A URL holding config expressions is only prefixed: it is expanded later.
     */
    public static String jdbc(String setting) {
        String url = reactive(setting);
        if (url.contains("${")) {
            // The packaged default (postgresql://${olympus.db.host}:...): expanded after this, by the configuration.
            return "jdbc:" + url;
        }
        PgConnectOptions options = options(setting);
        int query = url.indexOf('?');
        StringBuilder params = new StringBuilder(query < 0 ? "" : url.substring(query + 1));
        if (url.substring(0, query < 0 ? url.length() : query).contains("@")) {
            // pgjdbc reads credentials as parameters, not as URL user info.
            append(params, "user", options.getUser());
            append(params, "password", options.getPassword());
        }
        String host = options.getHost().contains(":") ? "[" + options.getHost() + "]" : options.getHost();
        return "jdbc:postgresql://" + host + ":" + options.getPort() + "/" + options.getDatabase()
                + (params.isEmpty() ? "" : "?" + params);
    }

    /** Host, port and database of a JDBC URL and of a reactive URL, when both can be read; empty if unsure. */
    public static Optional<Boolean> sameDatabase(String jdbcUrl, String reactiveSetting) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://") || jdbcUrl.contains("${") || reactiveSetting.contains("${")) {
            return Optional.empty();
        }
        try {
            PgConnectOptions jdbc = PgConnectOptions.fromUri(jdbcUrl.substring("jdbc:".length()));
            PgConnectOptions reactive = options(reactiveSetting);
            return Optional.of(jdbc.getHost().equals(reactive.getHost()) && jdbc.getPort() == reactive.getPort()
                    && Objects.equals(jdbc.getDatabase(), reactive.getDatabase()));
        } catch (RuntimeException e) {
            return Optional.empty(); // e.g. several hosts in the JDBC URL: left to the operator
        }
    }

    private static void append(StringBuilder params, String name, String value) {
        if (value == null || params.indexOf(name + "=") == 0 || params.indexOf("&" + name + "=") >= 0) {
            return;
        }
        if (!params.isEmpty()) {
            params.append('&');
        }
        params.append(name).append('=').append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
    }
}
