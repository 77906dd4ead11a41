package dev.olympus.usage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Money is exact: a JSON number read into a tree (request bodies parsed by hand, such as a task PATCH) keeps its
 * decimal digits instead of becoming a double, and a {@link java.math.BigDecimal} is written as a plain number
 * ({@code 12.5}, never {@code 1.25E+1}).
 */
@Singleton
public class ExactDecimals implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    }
}
