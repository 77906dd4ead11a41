package dev.olympus.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks the shape of every problem document a test receives through RestAssured: the raw body has no member
 * twice (parsed with duplicate detection, as a strict client would), {@code status} is the HTTP status code,
 * and {@code type} names the {@code code}. Use {@code @ExtendWith(ProblemShape.class)} on a test class to
 * check every answer of its requests, or {@link #check} on one answer.
 */
public final class ProblemShape implements Filter, BeforeAllCallback, AfterAllCallback {

    private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ProblemShape FILTER = new ProblemShape();

    /** Asserts the shape when {@code contentType} is a problem document; anything else passes. */
    public static void check(int httpStatus, String contentType, String body) {
        if (contentType == null || !contentType.startsWith("application/problem+json")) {
            return;
        }
        JsonNode problem;
        try {
            problem = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("Not a well-formed problem document (" + e.getOriginalMessage() + "): " + body, e);
        }
        if (!problem.isObject()) {
            throw new AssertionError("A problem document must be a JSON object: " + body);
        }
        if (!problem.path("status").isInt() || problem.get("status").intValue() != httpStatus) {
            throw new AssertionError("'status' must be the HTTP status " + httpStatus + ": " + body);
        }
        String code = problem.path("code").asText("");
        if (code.isEmpty() || !problem.path("type").asText("").equals("urn:olympus:problem:" + code)) {
            throw new AssertionError("'type' must be urn:olympus:problem:<code>, with a code: " + body);
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext context) {
        Response answer = context.next(request, response);
        check(answer.statusCode(), answer.contentType(), answer.asString());
        return answer;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!RestAssured.filters().contains(FILTER)) {
            RestAssured.filters(FILTER);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<Filter> others = new ArrayList<>(RestAssured.filters());
        others.remove(FILTER);
        RestAssured.replaceFiltersWith(others);
    }
}
