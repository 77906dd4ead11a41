package dev.olympus.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * Refuses JSON strings that PostgreSQL cannot store faithfully (NUL, unpaired UTF-16 surrogates), so that
 * every accepted string comes back byte-identical and a bad one is a 400 naming its field, not a 500.
 * Duplicate members are refused as well. Also home of the rule for required texts: {@link #blank}.
 */
@Singleton
public class StrictStrings implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        // A member given twice is ambiguous: refuse it (400) instead of guessing which one the client meant.
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.registerModule(new SimpleModule("olympus-strict-strings").addDeserializer(String.class, new Deserializer()));
    }

    static final class Deserializer extends StringDeserializer {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = super.deserialize(parser, context);
            if (value != null && !storable(value)) {
                throw com.fasterxml.jackson.databind.exc.InvalidFormatException.from(parser,
                        "text contains NUL or an unpaired surrogate", value, String.class);
            }
            return value;
        }
    }

    /** The message of a required text that is {@link #blank}. */
    public static final String BLANK_MESSAGE = "must not be blank";

    /**
     * The one rule for texts that API.md bounds to 1..N characters: blank after trimming is empty. A value made only
     * of whitespace ({@link Character#isWhitespace}: ASCII whitespace, U+001C..U+001F and the Unicode space, line and
     * paragraph separators except the no-break spaces) is no title, comment, reason, question or answer. The database
     * holds the same rule as {@code has_text(text)} (migration V14), for CHECK constraints and queries. Request
     * records use {@link NotBlankText}; hand-parsed bodies call this.
     */
    public static boolean blank(String value) {
        return value.isBlank();
    }

    /** True when PostgreSQL's UTF-8 text can hold the value exactly. */
    public static boolean storable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
