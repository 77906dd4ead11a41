package dev.olympus.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.olympus.web.ProblemException;
import dev.olympus.web.ProblemException.FieldError;
import dev.olympus.web.StrictStrings;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One usage report: increments since the previous report (never totals). Parsed by hand from the JSON tree so that
 * money stays exact and every bad value is a 400 naming its field.
 */
@RegisterForReflection
@Schema(name = "UsageReport", description = "Usage increments since your previous report (non-negative).")
public record Usage(
        @Schema(description = "input tokens used, 0..olympus.usage.max-tokens-per-report") long inputTokens,
        @Schema(description = "output tokens used, 0..olympus.usage.max-tokens-per-report") long outputTokens,
        @Schema(description = "cost in USD, a JSON number with at most 6 decimals, 0..olympus.usage.max-cost-per-report",
                example = "0.0125") BigDecimal costUsd,
        @Schema(description = "the model used (1..100 characters), informational", nullable = true) String model) {

    public static final int MONEY_SCALE = 6;
    private static final Set<String> FIELDS = Set.of("inputTokens", "outputTokens", "costUsd", "model");

    public boolean isEmpty() {
        return inputTokens == 0 && outputTokens == 0 && costUsd.signum() == 0 && model == null;
    }

    /**
     * Reads {@code node} (the value of member {@code field}); null when the member is absent or null.
     *
     * @throws ProblemException 400 {@code validation-failed} naming each bad member as {@code field.member}
     */
    public static Usage parse(JsonNode node, String field, UsageConfig limits) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (!(node instanceof ObjectNode object)) {
            throw ProblemException.validation(field, "must be an object {inputTokens?, outputTokens?, costUsd?, model?}");
        }
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            if (!FIELDS.contains(member.getKey())) {
                errors.add(new FieldError(field + "." + member.getKey(), "unknown field"));
            }
        }
        long input = tokens(object.get("inputTokens"), field + ".inputTokens", limits, errors);
        long output = tokens(object.get("outputTokens"), field + ".outputTokens", limits, errors);
        BigDecimal cost = cost(object.get("costUsd"), field + ".costUsd", limits, errors);
        String model = model(object.get("model"), field + ".model", errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new Usage(input, output, cost, model);
    }

    private static long tokens(JsonNode node, String field, UsageConfig limits, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            errors.add(new FieldError(field, "must be a non-negative integer"));
            return 0;
        }
        long value = node.longValue();
        if (value < 0) {
            errors.add(new FieldError(field, "must not be negative"));
        } else if (value > limits.maxTokensPerReport()) {
            errors.add(new FieldError(field, "at most " + limits.maxTokensPerReport() + " per report"));
        }
        return value;
    }

    private static BigDecimal cost(JsonNode node, String field, UsageConfig limits, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return BigDecimal.ZERO;
        }
        // Only a JSON number: a string, NaN or Infinity (not JSON numbers) are refused, as is a double we could not
        // hold exactly (the mapper reads decimals as BigDecimal, see ExactDecimals).
        if (!node.isNumber() || node.isDouble() || node.isFloat()) {
            errors.add(new FieldError(field, "must be a JSON number (USD, at most " + MONEY_SCALE + " decimals)"));
            return BigDecimal.ZERO;
        }
        BigDecimal value = node.decimalValue().stripTrailingZeros();
        if (value.signum() < 0) {
            errors.add(new FieldError(field, "must not be negative"));
        } else if (value.scale() > MONEY_SCALE) {
            errors.add(new FieldError(field, "at most " + MONEY_SCALE + " decimals"));
        } else if (value.compareTo(limits.maxCostPerReport()) > 0) {
            errors.add(new FieldError(field, "at most " + limits.maxCostPerReport().toPlainString() + " per report"));
        }
        return value.scale() < 0 ? value.setScale(0) : value;
    }

    private static String model(JsonNode node, String field, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || !StrictStrings.storable(node.textValue())) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        String model = node.textValue().strip();
        if (model.isEmpty() || model.length() > 100) {
            errors.add(new FieldError(field, "must be 1..100 characters"));
            return null;
        }
        return model;
    }
}
