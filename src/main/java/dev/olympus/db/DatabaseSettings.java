package dev.olympus.db;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.annotation.Priority;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One source of truth for the database. The operator sets either {@code olympus.db.*} (which feed the Quarkus keys in
 * application.properties) or the standard Quarkus keys ({@code quarkus.datasource.reactive.url},
 * {@code quarkus.datasource.username}, {@code quarkus.datasource.password}); the pool, the dedicated connections
 * ({@link DedicatedConnections}) and Flyway all follow. This interceptor gives Flyway its JDBC URL, derived from the
 * reactive URL unless {@code quarkus.datasource.jdbc.url} is set, and refuses to start when the settings contradict
 * each other (both sets given with different values, or a JDBC URL naming another database), naming the keys.
 * Registered in META-INF/services/io.smallrye.config.ConfigSourceInterceptor.
 */
@Priority(Priorities.APPLICATION)
public class DatabaseSettings implements ConfigSourceInterceptor {

    static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String USERNAME = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";
    static final String SSL_MODE = "quarkus.datasource.reactive.postgresql.ssl-mode";

    /** The packaged application.properties: anything above it (env, -D, config/application.properties) is the operator's. */
    private static final int PACKAGED_ORDINAL = 250;

    /** Sees the values as written (expressions are expanded after this interceptor, also in what it returns). */
    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!JDBC_URL.equals(name)) {
            return value;
        }
        List<String> conflicts = conflicts(context::proceed);
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException("Conflicting database settings: " + String.join("; ", conflicts)
                    + ". Configure the database one way: olympus.db.* (OLYMPUS_DB_*) or quarkus.datasource.*"
                    + " (QUARKUS_DATASOURCE_*), not both with different values.");
        }
        ConfigValue reactive = context.proceed(REACTIVE_URL);
        if (has(value) || !has(reactive)) {
            return value;
        }
        String jdbc = DatabaseUrls.jdbc(reactive.getValue());
        ConfigValue sslMode = context.proceed(SSL_MODE);
        if (has(sslMode) && !jdbc.contains("sslmode=")) {
            // The pool's TLS mode, for Flyway too (pgjdbc knows the same mode names).
            jdbc += (jdbc.contains("?") ? "&" : "?") + "sslmode=" + sslMode.getValue();
        }
        return ConfigValue.builder().withName(JDBC_URL).withValue(jdbc)
                .withConfigSourceName("derived from " + REACTIVE_URL + " (" + reactive.getConfigSourceName() + ")")
                .withConfigSourceOrdinal(reactive.getConfigSourceOrdinal()).build();
    }

    @Override
    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        List<String> names = new ArrayList<>();
        context.iterateNames().forEachRemaining(names::add);
        if (!names.contains(JDBC_URL)) {
            names.add(JDBC_URL);
        }
        return names.iterator();
    }

    /** What contradicts what, as sentences naming the keys; empty when the settings agree. */
    static List<String> conflicts(Function<String, ConfigValue> config) {
        List<String> conflicts = new ArrayList<>();
        ConfigValue reactive = config.apply(REACTIVE_URL);
        if (operators(reactive) && !reactive.getValue().contains("${")) {
            PgConnectOptions url = DatabaseUrls.options(reactive.getValue());
            differs(config, "olympus.db.host", url.getHost(), REACTIVE_URL, conflicts);
            differs(config, "olympus.db.port", Integer.toString(url.getPort()), REACTIVE_URL, conflicts);
            differs(config, "olympus.db.name", url.getDatabase(), REACTIVE_URL, conflicts);
        }
        ConfigValue username = config.apply(USERNAME);
        if (operators(username)) {
            differs(config, "olympus.db.user", username.getValue(), USERNAME, conflicts);
        }
        ConfigValue password = config.apply(PASSWORD);
        if (operators(password)) {
            differs(config, "olympus.db.password", password.getValue(), PASSWORD, conflicts);
        }
        ConfigValue jdbc = config.apply(JDBC_URL);
        if (has(jdbc) && has(reactive) && DatabaseUrls.sameDatabase(jdbc.getValue(), reactive.getValue()).orElse(true) == false) {
            conflicts.add(JDBC_URL + " (Flyway) names another database than " + REACTIVE_URL
                    + " (leave it unset: it follows the reactive URL)");
        }
        return conflicts;
    }

    private static void differs(Function<String, ConfigValue> config, String olympusKey, String quarkusValue, String quarkusKey,
                                List<String> conflicts) {
        ConfigValue olympus = config.apply(olympusKey);
        if (operators(olympus) && !Objects.equals(olympus.getValue(), quarkusValue)) {
            conflicts.add(olympusKey + " (" + env(olympusKey) + ") and " + quarkusKey + " (" + env(quarkusKey) + ") differ");
        }
    }

    private static boolean has(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    /** Set by the operator, not the packaged default. */
    private static boolean operators(ConfigValue value) {
        return has(value) && value.getConfigSourceOrdinal() > PACKAGED_ORDINAL;
    }

    private static String env(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
