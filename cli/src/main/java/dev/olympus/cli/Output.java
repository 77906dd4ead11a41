package dev.olympus.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints answers: the API's JSON exactly as received (with --json, or whenever stdout is not a terminal), or for a
 * person at a terminal a table (lists) or aligned "field value" lines (one resource).
 */
final class Output {

    /** A table column: header, the field it shows (a dotted path), and the widest it may get. */
    record Column(String header, String field, int max) {
        static Column of(String header, String field) {
            return new Column(header, field, 40);
        }
    }

    static final List<Column> TASK_COLUMNS = List.of(Column.of("ID", "id"), Column.of("STATUS", "status"),
            Column.of("PRIORITY", "priority"), Column.of("ASSIGNEE", "assignee"), Column.of("LABELS", "labels"),
            new Column("TITLE", "title", 60));
    static final List<Column> AGENT_COLUMNS = List.of(Column.of("NAME", "name"), Column.of("ROLE", "role"),
            Column.of("STATE", "state"), Column.of("OPEN", "openTasks"), Column.of("IN-PROGRESS", "inProgressTasks"),
            Column.of("LAST-HEARTBEAT", "lastHeartbeatAt"));
    static final List<Column> EVENT_COLUMNS = List.of(Column.of("ID", "id"), Column.of("AT", "at"),
            Column.of("TYPE", "type"), Column.of("ACTOR", "actor"), Column.of("TASK", "taskId"), Column.of("AGENT", "agent"));
    static final List<Column> QUESTION_COLUMNS = List.of(Column.of("ID", "id"), Column.of("TASK", "taskId"),
            Column.of("STATE", "state"), Column.of("ASKED-BY", "askedBy"), Column.of("TO", "to"),
            new Column("QUESTION", "question", 60));
    static final List<Column> COMMENT_COLUMNS = List.of(Column.of("ID", "id"), Column.of("AT", "createdAt"),
            Column.of("AUTHOR", "author"), new Column("BODY", "body", 80));

    private final Cli cli;

    Output(Cli cli) {
        this.cli = cli;
    }

    /** One resource: its JSON, or its fields one per line. */
    void resource(Api.Response response) {
        if (cli.field != null) {
            field(response.json());
            return;
        }
        if (!cli.tables()) {
            raw(response);
            return;
        }
        fields(response.json());
    }

    /** A list page: its JSON, or a table of its items (and how to get the next page). */
    void page(Api.Response response, List<Column> columns) {
        if (cli.field != null) {
            response.json().path("items").forEach(this::field);
            return;
        }
        if (!cli.tables()) {
            raw(response);
            return;
        }
        JsonNode page = response.json();
        table(page.path("items"), columns);
        if (page.hasNonNull("nextCursor")) {
            cli.out.println("(more: --cursor " + page.get("nextCursor").asText() + ")");
        }
    }

    /** --field: the field's text (scalars as they are, lists comma-separated, objects as JSON). */
    void field(JsonNode node) {
        cli.out.println(text(at(node, cli.field)));
    }

    void raw(Api.Response response) {
        if (response.body() != null && !response.body().isEmpty()) {
            cli.out.println(response.body().strip());
        }
    }

    void fields(JsonNode node) {
        int width = 0;
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            width = Math.max(width, field.getKey().length());
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode value = field.getValue();
            if (value.isNull() || value.isArray() && value.isEmpty()) {
                continue;
            }
            String text = value.isContainerNode() && !isScalarArray(value) ? Json.write(value) : text(value);
            String indent = " ".repeat(width + 2);
            cli.out.println(pad(field.getKey(), width) + "  " + text.replace("\n", "\n" + indent));
        }
    }

    void table(JsonNode items, List<Column> columns) {
        List<String[]> rows = new ArrayList<>();
        for (JsonNode item : items) {
            String[] row = new String[columns.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = clip(text(at(item, columns.get(i).field())), columns.get(i).max());
            }
            rows.add(row);
        }
        int[] widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = columns.get(i).header().length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        String[] headers = columns.stream().map(Column::header).toArray(String[]::new);
        cli.out.println(line(headers, widths));
        rows.forEach(row -> cli.out.println(line(row, widths)));
    }

    /** One row of a table without its header (streamed events). */
    void row(JsonNode item, List<Column> columns) {
        StringBuilder line = new StringBuilder();
        for (Column column : columns) {
            line.append(pad(clip(text(at(item, column.field())), column.max()), Math.min(column.max(), 12))).append("  ");
        }
        cli.out.println(line.toString().stripTrailing());
    }

    private static JsonNode at(JsonNode node, String path) {
        JsonNode current = node;
        for (String part : path.split("\\.")) {
            current = current.path(part);
        }
        return current;
    }

    static String text(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(v -> parts.add(text(v)));
            return String.join(",", parts);
        }
        return value.isValueNode() ? value.asText() : Json.write(value);
    }

    private static boolean isScalarArray(JsonNode value) {
        if (!value.isArray()) {
            return false;
        }
        for (JsonNode v : value) {
            if (v.isContainerNode()) {
                return false;
            }
        }
        return true;
    }

    private static String line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(i == cells.length - 1 ? cells[i] : pad(cells[i], widths[i]) + "  ");
        }
        return line.toString().stripTrailing();
    }

    private static String clip(String text, int max) {
        String single = text.replace('\n', ' ');
        return single.length() <= max ? single : single.substring(0, max - 1) + "…";
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
