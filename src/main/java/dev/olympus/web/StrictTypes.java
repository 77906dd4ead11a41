package dev.olympus.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A JSON value of the wrong type is a 400 naming its field, never silently converted: {@code {"title": 5}} is not
 * the title "5", {@code {"reviewRequired": 1}} is not true, {@code {"maxAttempts": 2.5}} is not 2 and
 * {@code {"maxAttempts": "3"}} is not 3 (API.md "Conventions": a wrong type is {@code validation-failed}). The same
 * rule MCP's tool arguments follow ({@code dev.olympus.mcp.ArgumentCheck}). Jackson would coerce all of these by
 * default; the only conversion kept is an integer into a decimal field ({@code "costUsd": 5}), which loses nothing.
 * {@link ProblemMapper#wrongType} turns the refusal into the problem.
 */
@Singleton
public class StrictTypes implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.Boolean, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.String,
                CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean, CoercionInputShape.String,
                CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Float, CoercionInputShape.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString);
        // An enum is named by its wire text, never by its position.
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    private static void refuse(ObjectMapper mapper, LogicalType target, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(target).setCoercion(shape, CoercionAction.Fail);
        }
    }
}
