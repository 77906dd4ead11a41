package dev.olympus.mcp;

import dev.olympus.web.ProblemException;
import dev.olympus.web.ProblemException.FieldError;
import io.quarkiverse.mcp.server.ToolCallException;
import io.quarkiverse.mcp.server.ToolInputGuardrail;
import io.quarkiverse.mcp.server.ToolManager.ToolArgument;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks a tool call's arguments against the tool's declared parameters before the MCP server converts them, so
 * that a missing, unknown or mistyped argument is the same 400 {@code validation-failed} problem (with its
 * {@code errors} list) that REST answers for a bad body, instead of the server's generic message.
 */
@ApplicationScoped
public class ArgumentCheck implements ToolInputGuardrail {

    private final ToolResults results;

    public ArgumentCheck(ToolResults results) {
        this.results = results;
    }

    @Override
    public void apply(ToolInputContext context) {
        JsonObject arguments = context.getArguments() == null ? new JsonObject() : context.getArguments();
        Map<String, ToolArgument> declared = context.getTool().arguments().stream()
                .collect(Collectors.toMap(ToolArgument::name, Function.identity()));
        List<FieldError> errors = new ArrayList<>();
        for (String name : arguments.fieldNames()) {
            if (!declared.containsKey(name)) {
                errors.add(new FieldError(name, "unknown field"));
            }
        }
        for (ToolArgument argument : declared.values()) {
            Object value = arguments.getValue(argument.name());
            if (value == null) {
                if (argument.required()) {
                    errors.add(new FieldError(argument.name(), "is required"));
                }
            } else {
                String problem = check(argument.type(), value);
                if (problem != null) {
                    errors.add(new FieldError(argument.name(), problem));
                }
            }
        }
        if (!errors.isEmpty()) {
            errors.sort(java.util.Comparator.comparing(FieldError::field));
            throw new ToolCallException(results.json(McpProblems.body(ProblemException.validation(errors))));
        }
    }

    /** @return what is wrong with {@code value} for a parameter of {@code type}, or null when it fits. */
    private static String check(Type type, Object value) {
        if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            if (!(value instanceof JsonArray array)) {
                return "must be an array";
            }
            Type element = list.getActualTypeArguments()[0];
            for (Object item : array) {
                if (item == null || check(element, item) != null) {
                    return element == String.class ? "must be an array of strings" : "must be an array of integers";
                }
            }
            return null;
        }
        if (type == String.class) {
            return value instanceof String ? null : "must be a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return value instanceof Boolean ? null : "must be true or false";
        }
        if (type == Long.class || type == long.class) {
            return integral(value, Long.MIN_VALUE, Long.MAX_VALUE) ? null : "must be an integer";
        }
        if (type == Integer.class || type == int.class) {
            return integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE) ? null : "must be an integer";
        }
        return null;
    }

    private static boolean integral(Object value, long min, long max) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            long v = ((Number) value).longValue();
            return v >= min && v <= max;
        }
        return false;
    }
}
