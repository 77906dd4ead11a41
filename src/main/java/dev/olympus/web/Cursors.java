package dev.olympus.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque cursors: the keyset position of the last item, base64url-encoded so clients treat it as a token.
 * The payload is a short, versioned string ({@code v1:...}); anything else is a 400.
 */
public final class Cursors {

    private Cursors() {}

    public static String encode(String... parts) {
        String raw = "v1:" + String.join(":", parts);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the parts, exactly {@code expected} of them, or a 400 validation problem. */
    public static String[] decode(String cursor, int expected) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (raw.startsWith("v1:")) {
                String[] parts = raw.substring(3).split(":", -1);
                if (parts.length == expected) {
                    return parts;
                }
            }
        } catch (IllegalArgumentException ignored) {
            // fall through to the problem below
        }
        throw ProblemException.validation("cursor", "not a cursor issued by this service");
    }

    public static long decodeLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ProblemException.validation("cursor", "not a cursor issued by this service");
        }
    }
}
