package dev.olympus.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/** Points the application under test at the throwaway {@link TestDatabase}. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    /** The bootstrap operator's key in every test run. */
    public static final String ADMIN_KEY = "olk_test-admin-key-0123456789abcdefghijkl";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(TestDatabase.get().config());
        config.put("olympus.bootstrap-key", ADMIN_KEY);
        return config;
    }

    @Override
    public void stop() {
        // The database outlives the application: it is stopped when the JVM exits.
    }
}
