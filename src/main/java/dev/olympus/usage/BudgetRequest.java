package dev.olympus.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.olympus.web.ProblemException;
import dev.olympus.web.ProblemException.FieldError;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code PUT .../budget}: {@code { costUsd (> 0, ≤ 6 decimals), period: "day" | "month" }}. */
@Schema(name = "BudgetRequest")
public record BudgetRequest(@Schema(required = true, example = "25.50") BigDecimal costUsd,
                            @Schema(required = true, enumeration = {"day", "month"}) String period) {

    /** Far above any real budget; keeps the value inside numeric(20,6). */
    private static final BigDecimal MAX = new BigDecimal("1000000000");

    static BudgetRequest parse(JsonNode body) {
        if (!(body instanceof ObjectNode object)) {
            throw ProblemException.validation("body", "must be a JSON object {costUsd, period}");
        }
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            if (!member.getKey().equals("costUsd") && !member.getKey().equals("period")) {
                errors.add(new FieldError(member.getKey(), "unknown field"));
            }
        }
        BigDecimal cost = null;
        JsonNode costNode = object.get("costUsd");
        if (costNode == null || !costNode.isNumber() || costNode.isDouble() || costNode.isFloat()) {
            errors.add(new FieldError("costUsd", "required: a JSON number (USD, at most 6 decimals)"));
        } else {
            cost = UsageTotals.money(costNode.decimalValue());
            if (cost.signum() <= 0) {
                errors.add(new FieldError("costUsd", "must be greater than 0"));
            } else if (cost.scale() > Usage.MONEY_SCALE) {
                errors.add(new FieldError("costUsd", "at most " + Usage.MONEY_SCALE + " decimals"));
            } else if (cost.compareTo(MAX) > 0) {
                errors.add(new FieldError("costUsd", "at most " + MAX.toPlainString()));
            }
        }
        JsonNode periodNode = object.get("period");
        String period = periodNode != null && periodNode.isTextual() ? periodNode.textValue() : null;
        if (!"day".equals(period) && !"month".equals(period)) {
            errors.add(new FieldError("period", "required: day or month"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new BudgetRequest(cost, period);
    }
}
