package dev.olympus.task;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/state-machine.md's transition table and {@link Transitions} say the same. */
class TransitionsDocTest {

    @Test
    void theDocumentedTableIsTheCodesTable() throws IOException {
        Set<String> documented = new HashSet<>(documentedRows());
        Set<String> code = new HashSet<>();
        for (Transitions.Rule rule : Transitions.TABLE) {
            code.add(rule.from().wire() + " -> " + rule.to().wire() + " : " + rule.who().doc);
        }
        assertThat(documented).as("docs/state-machine.md, section \"Transition table\"")
                .containsExactlyInAnyOrderElementsOf(code);
        assertThat(documentedRows()).as("no move documented twice").doesNotHaveDuplicates();
    }

    /** The first three cells (from, to, who) of every row of the table under "## Transition table". */
    private static List<String> documentedRows() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("docs/state-machine.md"));
        int start = lines.indexOf("## Transition table");
        assertThat(start).as("the section exists").isNotNegative();
        List<String> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            inTable = true;
            String[] cells = line.split("\\|", -1);
            String from = cells[1].trim();
            if (from.equals("From") || from.startsWith("---")) {
                continue;
            }
            rows.add(from + " -> " + cells[2].trim() + " : " + cells[3].trim());
        }
        assertThat(rows).as("table rows").isNotEmpty();
        return rows;
    }
}
