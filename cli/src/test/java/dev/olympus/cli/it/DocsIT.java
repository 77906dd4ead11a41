package dev.olympus.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shell examples of docs/cli.md, run as written: every ```bash block preceded by {@code <!-- run: NAME -->}.
 * The install block installs into a throwaway HOME; the orchestrator's and worker's blocks then run with that
 * install's oly on the PATH (and nothing else of the CLI), each with its own key, against the packaged server.
 */
class DocsIT {

    private static final Pattern RUNNABLE = Pattern.compile("<!-- run: ([a-z-]+) -->\\s*```bash\\n(.*?)```", Pattern.DOTALL);

    static Map<String, String> runnableBlocks() throws IOException {
        String page = Files.readString(Path.of(System.getProperty("olympus.docs", "../docs/cli.md")));
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher matcher = RUNNABLE.matcher(page);
        while (matcher.find()) {
            blocks.put(matcher.group(1), matcher.group(2));
        }
        return blocks;
    }

    private static Oly.Result bash(Oly as, String script, Path dir) throws IOException {
        Path file = Files.createTempFile(as.home, "block-", ".sh");
        Files.writeString(file, script);
        return as.exec(List.of("bash", file.toString()), "", dir);
    }

    @Test
    void theShellExamplesRunAsWritten() throws IOException {
        Map<String, String> blocks = runnableBlocks();
        assertThat(blocks).containsOnlyKeys("install", "worker", "orchestrator");
        Path repository = Oly.launcher().getParent().getParent().getParent();

        // install: ./olympus cli install into a fresh HOME, then oly from there only
        Oly installer = Oly.bare().with("PATH", "/usr/local/bin:/usr/bin:/bin");
        Oly.Result installed = bash(installer, blocks.get("install"), repository);
        assertThat(installed.exit()).as(installed.toString()).isZero();
        assertThat(installed.out()).contains("oly 1.0");
        Path bin = installer.home.resolve(".local/bin");
        assertThat(bin.resolve("oly")).isExecutable();
        assertThat(installer.home.resolve(".local/lib/olympus-cli/oly.aot")).exists();
        String path = bin + ":/usr/local/bin:/usr/bin:/bin";

        OlympusServer server = OlympusServer.shared();
        Oly orchestrator = Oly.newAgent(server, "docs-plan", "orchestrator").with("PATH", path);
        Oly worker = Oly.newAgent(server, "docs-work", "worker").with("PATH", path);
        Oly admin = Oly.admin(server);

        Oly.Result planned = bash(orchestrator, blocks.get("orchestrator"), orchestrator.home);
        assertThat(planned.exit()).as(planned.toString()).isZero();
        assertThat(planned.out()).contains("Write the grammar spec", "Build the parser", "Test the parser");
        JsonNode tasks = admin.run("tasks", "list", "--created-by", orchestrator.name()).json().path("items");
        assertThat(tasks).hasSize(3);

        Oly.Result firstRun = bash(worker, blocks.get("worker"), worker.home);
        assertThat(firstRun.exit()).as(firstRun.toString()).isZero();
        JsonNode spec = admin.run("tasks", "list", "--created-by", orchestrator.name(), "--label", "docs").json().path("items").get(0);
        assertThat(spec.path("status").asText()).isEqualTo("done");
        assertThat(spec.path("assignee").asText()).isEqualTo(worker.name());
        assertThat(spec.path("result").asText()).isEqualTo("Reviewed: Write the grammar spec");
        JsonNode parser = admin.run("tasks", "list", "--created-by", orchestrator.name(), "--label", "java",
                "--ready", "true").json().path("items");
        assertThat(parser.findValuesAsText("title")).containsExactly("Build the parser");

        Oly.Result idleRun = bash(worker, blocks.get("worker"), worker.home);
        assertThat(idleRun.exit()).as("nothing with label docs is left: " + idleRun).isZero();
        assertThat(admin.run("agents", "show", worker.name()).json().path("lastHeartbeatAt").isNull()).isFalse();
    }
}
