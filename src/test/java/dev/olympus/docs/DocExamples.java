package dev.olympus.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The runnable examples of the documentation: fenced code blocks whose info string is {@code sh tested}
 * (see docs/contributing.md). Fences follow CommonMark: a fence of three or more backticks or tildes is
 * closed by a line of at least as many of the same character, so a longer fence can show a tested block
 * as text without running it.
 */
final class DocExamples {

    static final String INFO_STRING = "sh tested";

    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*(.*?)\\s*$");

    private DocExamples() {
    }

    /** README.md first, then docs/*.md in name order: the pages whose examples are run. */
    static List<Path> pages(Path projectRoot) throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(projectRoot.resolve("README.md"));
        Path docs = projectRoot.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> files = Files.list(docs)) {
                files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
            }
        }
        return pages;
    }

    /** The contents of the page's {@code sh tested} blocks, in page order. */
    static List<String> testedBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        String fence = null;
        StringBuilder current = null;
        for (String line : markdown.split("\r?\n", -1)) {
            Matcher m = FENCE.matcher(line);
            if (fence == null) {
                if (m.matches() && !(m.group(1).charAt(0) == '`' && m.group(2).contains("`"))) {
                    fence = m.group(1);
                    current = INFO_STRING.equals(m.group(2)) ? new StringBuilder() : null;
                }
            } else if (m.matches() && m.group(2).isEmpty() && m.group(1).charAt(0) == fence.charAt(0)
                    && m.group(1).length() >= fence.length()) {
                if (current != null) {
                    blocks.add(current.toString());
                }
                fence = null;
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        if (current != null) {
            throw new IllegalArgumentException("A '" + INFO_STRING + "' block is never closed");
        }
        return blocks;
    }

    /** One bash script for a page: strict mode, then its blocks in order; null when the page has none. */
    static String script(String markdown) {
        List<String> blocks = testedBlocks(markdown);
        if (blocks.isEmpty()) {
            return null;
        }
        return "set -euo pipefail\n" + String.join("\n", blocks);
    }
}
