package dev.olympus.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** JSON (and YAML input files) through one shared mapper. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array(List<?> values) {
        ArrayNode array = MAPPER.createArrayNode();
        values.forEach(v -> array.add(MAPPER.valueToTree(v)));
        return array;
    }

    static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a JSON or YAML document from a file, or from stdin for "-". YAML is a superset of JSON, but JSON files
     * go through the JSON parser so that its error messages (with line and column) are the ones shown.
     */
    static JsonNode readDocument(String source, InputStream stdin) {
        String text = readText(source, stdin);
        boolean json = source.endsWith(".json") || text.stripLeading().startsWith("{") || text.stripLeading().startsWith("[");
        try {
            JsonNode node = json ? MAPPER.readTree(text) : new YAMLMapper().readTree(text);
            if (node == null || node.isMissingNode()) {
                throw CliException.usage(describe(source) + " is empty");
            }
            return node;
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw CliException.local(Exit.USAGE, "bad-input", describe(source) + " is not valid "
                    + (json ? "JSON" : "YAML") + ": " + message + location(e), e);
        }
    }

    /** The whole text of a file, or of stdin for "-". */
    static String readText(String source, InputStream stdin) {
        try {
            if ("-".equals(source)) {
                return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(Path.of(source));
        } catch (NoSuchFileException e) {
            throw CliException.local(Exit.USAGE, "bad-input", "No such file: " + source, e);
        } catch (IOException e) {
            throw CliException.local(Exit.USAGE, "bad-input", "Cannot read " + describe(source) + ": " + e.getMessage(), e);
        }
    }

    private static String location(IOException e) {
        if (e instanceof JsonProcessingException p && p.getLocation() != null) {
            return " (line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr() + ")";
        }
        return "";
    }

    private static String describe(String source) {
        return "-".equals(source) ? "stdin" : source;
    }
}
