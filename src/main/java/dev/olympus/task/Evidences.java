package dev.olympus.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import dev.olympus.web.ProblemException.FieldError;
import dev.olympus.web.StrictStrings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Evidence against acceptance criteria: {@code [{criterion: <index>, text}]}. Parsing (shape, 400) is here; whether
 * the evidence covers the task's criteria (422 {@code evidence-required}) too, so both rules have one home.
 */
final class Evidences {

    static final int MAX_TEXT = 16384;

    private Evidences() {}

    /** The {@code evidence} member of a patch: an array of {criterion, text}; errors name {@code evidence[i].field}. */
    static List<Task.Evidence> parse(JsonNode node, List<FieldError> errors) {
        if (node == null || !node.isArray() || node.size() > 20) {
            errors.add(new FieldError("evidence", "must be an array of at most 20 {criterion, text} objects"));
            return null;
        }
        List<Task.Evidence> evidence = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = "evidence[" + i + "]";
            if (!item.isObject()) {
                errors.add(new FieldError(at, "must be an object {criterion, text}"));
                continue;
            }
            for (var names = item.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("criterion") && !name.equals("text")) {
                    errors.add(new FieldError(at + "." + name, "unknown field"));
                }
            }
            JsonNode criterion = item.get("criterion");
            JsonNode text = item.get("text");
            boolean ok = true;
            if (criterion == null || !criterion.isIntegralNumber() || criterion.asLong() < 0 || criterion.asLong() >= 20) {
                errors.add(new FieldError(at + ".criterion", "must be the index of an acceptance criterion (0..19)"));
                ok = false;
            } else if (!seen.add(criterion.asInt())) {
                errors.add(new FieldError(at + ".criterion", "criterion " + criterion.asInt() + " has evidence twice"));
                ok = false;
            }
            if (text == null || !text.isTextual() || !StrictStrings.storable(text.textValue())
                    || StrictStrings.blank(text.textValue()) || text.textValue().length() > MAX_TEXT) {
                errors.add(new FieldError(at + ".text", "must be a non-blank text of at most " + MAX_TEXT + " characters"));
                ok = false;
            }
            if (ok) {
                evidence.add(new Task.Evidence(criterion.asInt(), text.textValue()));
            }
        }
        return evidence;
    }

    /** Evidence for a criterion the task does not have: 400 naming the entry. */
    static void checkIndexes(Task task, List<Task.Evidence> evidence) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < evidence.size(); i++) {
            if (evidence.get(i).criterion() >= task.acceptanceCriteria().size()) {
                errors.add(new FieldError("evidence[" + i + "].criterion", "task " + task.id() + " has "
                        + task.acceptanceCriteria().size() + " acceptance criteria; no criterion " + evidence.get(i).criterion()));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
    }

    /** A move into in_review or done must come with evidence for every criterion: 422 with the missing indexes. */
    static void checkCovered(Task task, List<Task.Evidence> evidence) {
        Set<Integer> missing = new TreeSet<>();
        for (int i = 0; i < task.acceptanceCriteria().size(); i++) {
            missing.add(i);
        }
        if (evidence != null) {
            evidence.forEach(e -> missing.remove(e.criterion()));
        }
        if (!missing.isEmpty()) {
            throw new ProblemException(422, ProblemCode.EVIDENCE_REQUIRED, "Evidence required",
                    "Task " + task.id() + " has acceptance criteria: send \"evidence\": [{\"criterion\": <index>, \"text\"}]"
                            + " for each of them with the move (missing: " + missing + ").")
                    .with("missing", new ArrayList<>(missing));
        }
    }

    static String toJson(List<Task.Evidence> evidence) {
        return evidence == null ? null : toJsonArray(evidence).encode();
    }

    static JsonArray toJsonArray(List<Task.Evidence> evidence) {
        JsonArray array = new JsonArray();
        evidence.forEach(e -> array.add(new JsonObject().put("criterion", e.criterion()).put("text", e.text())));
        return array;
    }

    static List<Task.Evidence> fromJson(String json) {
        if (json == null) {
            return null;
        }
        List<Task.Evidence> evidence = new ArrayList<>();
        for (Object item : new JsonArray(json)) {
            JsonObject e = (JsonObject) item;
            evidence.add(new Task.Evidence(e.getInteger("criterion"), e.getString("text")));
        }
        return evidence;
    }
}
