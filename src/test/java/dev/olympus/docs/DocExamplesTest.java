package dev.olympus.docs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which fenced blocks count as tested examples (plain unit test; DocExamplesIT runs them). */
class DocExamplesTest {

    @Test
    void onlyShTestedBlocksAreTakenInPageOrder() {
        String page = """
                Intro
                ```sh tested
                echo one
                ```
                ```sh
                echo not tested
                ```
                ```bash
                echo not tested either
                ```
                ```sh tested
                echo two
                echo three
                ```
                """;
        assertThat(DocExamples.testedBlocks(page)).containsExactly("echo one\n", "echo two\necho three\n");
    }

    @Test
    void aLongerFenceShowsATestedBlockWithoutRunningIt() {
        String page = """
                ````markdown
                ```sh tested
                echo shown, not run
                ```
                ````
                ~~~sh tested
                echo run
                ```
                echo still inside the tilde fence
                ~~~
                """;
        assertThat(DocExamples.testedBlocks(page)).containsExactly("echo run\n```\necho still inside the tilde fence\n");
    }

    @Test
    void aPageWithoutTestedBlocksHasNoScriptAndOthersRunInStrictMode() {
        assertThat(DocExamples.script("```sh\nls\n```\n")).isNull();
        assertThat(DocExamples.script("```sh tested\nA=1\n```\ntext\n```sh tested\necho $A\n```\n"))
                .isEqualTo("set -euo pipefail\nA=1\n\necho $A\n");
    }

    @Test
    void anUnclosedTestedBlockIsAnError() {
        assertThatThrownBy(() -> DocExamples.testedBlocks("```sh tested\necho never closed\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never closed");
    }
}
