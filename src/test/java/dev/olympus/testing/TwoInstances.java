package dev.olympus.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two packaged instances ({@link OlympusProcess}) on one new database of their own, started before the class's
 * tests and stopped after them (a test may {@link OlympusProcess#kill() kill} one):
 * <pre>{@code
 * @RegisterExtension
 * static final TwoInstances OLYMPUS = TwoInstances.onNewDatabase("kill").adminKey(ADMIN_KEY).with("olympus.x", "1");
 * }</pre>
 * By default both start at once (which also exercises a race-free first start); {@link #oneAfterTheOther()} starts
 * the second once the first is ready, where start-up load would disturb what the test measures.
 */
public final class TwoInstances implements BeforeAllCallback, AfterAllCallback {

    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    private final String databasePrefix;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private boolean oneAfterTheOther;
    private Map<String, String> config;
    private OlympusProcess a;
    private OlympusProcess b;

    private TwoInstances(String databasePrefix) {
        this.databasePrefix = databasePrefix;
    }

    /** Two instances on a new database named after {@code prefix} (plus a unique suffix). */
    public static TwoInstances onNewDatabase(String prefix) {
        return new TwoInstances(prefix);
    }

    /** The bootstrap operator's API key ({@code olympus.bootstrap-key}). */
    public TwoInstances adminKey(String key) {
        return with("olympus.bootstrap-key", key);
    }

    /** A configuration property (Quarkus or Olympus name) for both instances. */
    public TwoInstances with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    public TwoInstances oneAfterTheOther() {
        oneAfterTheOther = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        config = new LinkedHashMap<>(TestDatabase.get().newDatabase(databasePrefix));
        config.putAll(settings);
        if (oneAfterTheOther) {
            a = OlympusProcess.start(config);
            b = OlympusProcess.start(config);
        } else {
            a = OlympusProcess.launch(config);
            b = OlympusProcess.launch(config);
            a.awaitReady(READY_WITHIN);
            b.awaitReady(READY_WITHIN);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    public OlympusProcess a() {
        return a;
    }

    public OlympusProcess b() {
        return b;
    }

    public List<OlympusProcess> both() {
        return List.of(a, b);
    }

    /** The instances' configuration, database included. */
    public Map<String, String> config() {
        return Map.copyOf(config);
    }

    /** A JDBC connection to the instances' database, for checks the API does not show. */
    public Connection connectDatabase() throws SQLException {
        String url = "jdbc:postgresql://" + config.get("olympus.db.host") + ":" + config.get("olympus.db.port") + "/"
                + config.get("olympus.db.name");
        return DriverManager.getConnection(url, config.get("olympus.db.user"), config.get("olympus.db.password"));
    }
}
