package dev.olympus.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

import java.util.List;

/** Option groups several commands share. */
final class Inputs {

    private Inputs() {}

    /** Token and cost increments reported with a heartbeat or a task write (Wave 2 {@code usage}). */
    static final class Usage {
        @Option(names = "--input-tokens", paramLabel = "N", description = "Input tokens used since the last report.")
        Long inputTokens;
        @Option(names = "--output-tokens", paramLabel = "N", description = "Output tokens used since the last report.")
        Long outputTokens;
        @Option(names = "--cost-usd", paramLabel = "USD", description = "Cost in USD since the last report.")
        Double costUsd;
        @Option(names = "--model", paramLabel = "NAME", description = "The model the usage was spent on.")
        String model;

        void addTo(ObjectNode body) {
            if (inputTokens == null && outputTokens == null && costUsd == null && model == null) {
                return;
            }
            if (inputTokens != null && inputTokens < 0 || outputTokens != null && outputTokens < 0 || costUsd != null && costUsd < 0) {
                throw CliException.usage("usage increments must not be negative");
            }
            ObjectNode usage = body.putObject("usage");
            if (inputTokens != null) {
                usage.put("inputTokens", inputTokens);
            }
            if (outputTokens != null) {
                usage.put("outputTokens", outputTokens);
            }
            if (costUsd != null) {
                usage.put("costUsd", costUsd);
            }
            if (model != null) {
                usage.put("model", model);
            }
        }
    }

    /** The deliverable: given inline, or read from a file or stdin ("-"). */
    static final class Result {
        @Option(names = "--result", paramLabel = "TEXT", description = "The result (the deliverable).")
        String text;
        @Option(names = "--result-file", paramLabel = "FILE", description = "Read the result from FILE, or from stdin with -.")
        String file;

        void addTo(ObjectNode body) {
            if (text != null && file != null) {
                throw CliException.usage("give --result or --result-file, not both");
            }
            if (text != null) {
                body.put("result", text);
            } else if (file != null) {
                body.put("result", Json.readText(file, Cli.current().in));
            }
        }
    }

    /** Evidence for acceptance criteria: INDEX=TEXT, once per criterion. */
    static final class Evidence {
        @Option(names = "--evidence", paramLabel = "INDEX=TEXT", description = "Evidence for acceptance criterion INDEX (0-based); repeat for each.")
        List<String> items;

        void addTo(ObjectNode body) {
            if (items == null || items.isEmpty()) {
                return;
            }
            ArrayNode evidence = body.putArray("evidence");
            for (String item : items) {
                int eq = item.indexOf('=');
                if (eq <= 0) {
                    throw CliException.usage("--evidence must be INDEX=TEXT, e.g. --evidence '0=tests pass'");
                }
                try {
                    evidence.addObject().put("criterion", Integer.parseInt(item.substring(0, eq).strip()))
                            .put("text", item.substring(eq + 1));
                } catch (NumberFormatException e) {
                    throw CliException.usage("--evidence INDEX must be a number: " + item);
                }
            }
        }
    }
}
