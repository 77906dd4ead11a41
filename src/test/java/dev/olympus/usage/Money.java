package dev.olympus.usage;

import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;

import java.math.BigDecimal;

/** Reads JSON numbers of a response exactly (RestAssured's default would read them as float). */
final class Money {

    private static final JsonPathConfig EXACT = JsonPathConfig.jsonPathConfig()
            .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL);

    private Money() {}

    static BigDecimal at(Response response, String path) {
        Object value = response.jsonPath(EXACT).get(path);
        return value == null ? null : new BigDecimal(value.toString());
    }

    static BigDecimal usd(String value) {
        return new BigDecimal(value);
    }
}
