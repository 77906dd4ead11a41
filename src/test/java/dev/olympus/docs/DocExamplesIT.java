package dev.olympus.docs;

import dev.olympus.testing.OlympusProcess;
import dev.olympus.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every command in the docs still runs: the {@code sh tested} blocks of README.md and docs/*.md run against one
 * packaged instance on a new database, one bash process per page (its blocks in order, {@code set -euo pipefail}),
 * with {@code API} (base URL including /api/v1) and {@code KEY} (the admin key) set. Each page must exit 0; the
 * examples assert their own results ({@code test "$status" = done}). Pages share the instance, so each page
 * creates its own agents (see docs/contributing.md).
 */
class DocExamplesIT {

    private static final String ADMIN_KEY = "olk_it-doc-examples-admin-0123456789abcdef";
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Duration PAGE_TIMEOUT = Duration.ofMinutes(3);

    private static OlympusProcess instance;

    @BeforeAll
    static void start() {
        Map<String, String> config = new HashMap<>(TestDatabase.get().newDatabase("docs"));
        config.put("olympus.bootstrap-key", ADMIN_KEY);
        instance = OlympusProcess.start(config);
    }

    @AfterAll
    static void stop() {
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    void theReadmeTourIsATestedExample() throws IOException {
        assertThat(DocExamples.script(Files.readString(ROOT.resolve("README.md"))))
                .as("README.md has a 'sh tested' block (the tour)").isNotNull().contains("/tasks/claim");
    }

    @TestFactory
    List<DynamicTest> everyTestedExampleRuns() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path page : DocExamples.pages(ROOT)) {
            String script = DocExamples.script(Files.readString(page));
            if (script != null) {
                tests.add(DynamicTest.dynamicTest(ROOT.relativize(page).toString(), () -> run(page, script)));
            }
        }
        return tests;
    }

    private static void run(Path page, String script) throws Exception {
        Path file = Files.createTempFile("olympus-doc-", ".sh");
        Path output = Files.createTempFile("olympus-doc-", ".log");
        try {
            Files.writeString(file, script);
            ProcessBuilder builder = new ProcessBuilder("bash", "-x", file.toString())
                    .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().put("API", instance.baseUrl() + "/api/v1");
            builder.environment().put("KEY", ADMIN_KEY);
            Process process = builder.start();
            if (!process.waitFor(PAGE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(page + ": its examples did not finish within " + PAGE_TIMEOUT + "\n" + tail(output));
            }
            assertThat(process.exitValue())
                    .as("%s: its 'sh tested' examples exit 0 (bash -x trace, last lines):%n%s", page, tail(output))
                    .isZero();
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(output);
        }
    }

    private static String tail(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }
}
