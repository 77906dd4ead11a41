package dev.olympus.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md and application.properties tell the same keys and defaults: every {@code olympus.*} key
 * set (or shown commented out, for keys without a default) in application.properties has a row in the table with
 * that default, and every row names a key that exists there.
 */
class ConfigurationDocTest {

    private static final Pattern PROPERTY = Pattern.compile("^(#\\s*)?(olympus\\.[a-z0-9.-]+)=(.*)$", Pattern.MULTILINE);
    private static final Pattern ROW = Pattern.compile("^\\| `(olympus\\.[a-z0-9.-]+)` \\| ([^|]*) \\|", Pattern.MULTILINE);

    @Test
    void everyKeyIsDocumentedWithItsDefaultAndNoRemovedKeyRemains() throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>(); // key -> default, null when commented out (none)
        Matcher property = PROPERTY.matcher(Files.readString(Path.of("src/main/resources/application.properties")));
        while (property.find()) {
            defaults.putIfAbsent(property.group(2), property.group(1) == null ? property.group(3).trim() : null);
        }
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher row = ROW.matcher(Files.readString(Path.of("docs/configuration.md")));
        while (row.find()) {
            documented.put(row.group(1), row.group(2).trim());
        }

        assertThat(new TreeSet<>(documented.keySet())).as("keys in docs/configuration.md")
                .isEqualTo(new TreeSet<>(defaults.keySet()));
        defaults.forEach((key, value) -> {
            if (value != null) {
                assertThat(documented.get(key)).as("default of %s in docs/configuration.md", key).isEqualTo("`" + value + "`");
            }
        });
    }
}
