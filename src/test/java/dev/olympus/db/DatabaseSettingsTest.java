package dev.olympus.db;

import io.smallrye.config.ConfigValue;
import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The database's one source of truth: derived URLs, and the settings that contradict each other. */
class DatabaseSettingsTest {

    private static final int PACKAGED = 250;
    private static final int ENV = 300;

    private final Map<String, ConfigValue> config = new HashMap<>();

    private void set(String key, String value, int ordinal) {
        config.put(key, ConfigValue.builder().withName(key).withValue(value).withConfigSourceOrdinal(ordinal).build());
    }

    private Function<String, ConfigValue> lookup() {
        return config::get;
    }

    @Test
    void theJdbcUrlFollowsTheReactiveUrl() {
        assertThat(DatabaseUrls.jdbc("postgresql://db.internal:6543/olympus?sslmode=require"))
                .isEqualTo("jdbc:postgresql://db.internal:6543/olympus?sslmode=require");
        assertThat(DatabaseUrls.jdbc("vertx-reactive:postgresql://db/olympus")).isEqualTo("jdbc:postgresql://db:5432/olympus");
        assertThat(DatabaseUrls.jdbc("postgresql://app:s%3Acret@db:5433/olympus"))
                .isEqualTo("jdbc:postgresql://db:5433/olympus?user=app&password=s%3Acret");
        assertThat(DatabaseUrls.jdbc("postgresql://a:5432/x,postgresql://b:5432/x")).isEqualTo("jdbc:postgresql://a:5432/x");
        // The packaged default, before the configuration expands it:
        assertThat(DatabaseUrls.jdbc("postgresql://${olympus.db.host}:${olympus.db.port}/${olympus.db.name}"))
                .isEqualTo("jdbc:postgresql://${olympus.db.host}:${olympus.db.port}/${olympus.db.name}");
    }

    @Test
    void theDedicatedConnectionsReadTheReactiveUrlAsThePoolDoes() {
        PgConnectOptions options = DatabaseUrls.options("vertx-reactive:postgresql://app:pw@db.internal:6543/olympus");
        assertThat(options.getHost()).isEqualTo("db.internal");
        assertThat(options.getPort()).isEqualTo(6543);
        assertThat(options.getDatabase()).isEqualTo("olympus");
        assertThat(options.getUser()).isEqualTo("app");
        assertThat(options.getPassword()).isEqualTo("pw");
    }

    @Test
    void eitherSetAloneIsNoConflict() {
        set("olympus.db.host", "localhost", PACKAGED);
        set("olympus.db.port", "5432", PACKAGED);
        set("olympus.db.name", "olympus", PACKAGED);
        set("olympus.db.user", "olympus", PACKAGED);
        set(DatabaseSettings.REACTIVE_URL, "postgresql://db:6543/prod", ENV);
        set(DatabaseSettings.USERNAME, "prod", ENV);
        assertThat(DatabaseSettings.conflicts(lookup())).isEmpty();

        config.clear();
        set("olympus.db.host", "db", ENV);
        set(DatabaseSettings.REACTIVE_URL, "postgresql://${olympus.db.host}:${olympus.db.port}/${olympus.db.name}", PACKAGED);
        assertThat(DatabaseSettings.conflicts(lookup())).isEmpty();
    }

    @Test
    void bothSetsGivenAndAgreeingIsNoConflict() {
        set("olympus.db.host", "db", ENV);
        set("olympus.db.name", "prod", ENV);
        set(DatabaseSettings.REACTIVE_URL, "postgresql://db:5432/prod", ENV);
        set(DatabaseSettings.JDBC_URL, "jdbc:postgresql://db/prod?ApplicationName=flyway", ENV);
        assertThat(DatabaseSettings.conflicts(lookup())).isEmpty();
    }

    @Test
    void bothSetsGivenWithDifferentValuesNameTheKeys() {
        set("olympus.db.host", "old-db", ENV);
        set("olympus.db.password", "one", ENV);
        set(DatabaseSettings.REACTIVE_URL, "postgresql://db:5432/olympus", ENV);
        set(DatabaseSettings.PASSWORD, "two", ENV);
        assertThat(DatabaseSettings.conflicts(lookup())).containsExactly(
                "olympus.db.host (OLYMPUS_DB_HOST) and quarkus.datasource.reactive.url (QUARKUS_DATASOURCE_REACTIVE_URL) differ",
                "olympus.db.password (OLYMPUS_DB_PASSWORD) and quarkus.datasource.password (QUARKUS_DATASOURCE_PASSWORD) differ");
    }

    @Test
    void aJdbcUrlNamingAnotherDatabaseIsAConflict() {
        set(DatabaseSettings.REACTIVE_URL, "postgresql://db:5432/olympus", ENV);
        set(DatabaseSettings.JDBC_URL, "jdbc:postgresql://localhost:5432/olympus", ENV);
        assertThat(DatabaseSettings.conflicts(lookup())).singleElement().asString()
                .startsWith("quarkus.datasource.jdbc.url (Flyway) names another database");
    }
}
