package dev.olympus.wait;

import dev.olympus.web.ProblemException;

import java.time.Duration;

/** The {@code wait} query parameter of the long-polling endpoints: 1..60 seconds, or absent (answer at once). */
public final class WaitParam {

    public static final int MAX_SECONDS = 60;

    private WaitParam() {}

    /** The wait, or null when the parameter is absent; 400 {@code validation-failed} on {@code field} otherwise. */
    public static Duration parse(String field, String raw) {
        if (raw == null) {
            return null;
        }
        try {
            int seconds = Integer.parseInt(raw.trim());
            if (seconds >= 1 && seconds <= MAX_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // the problem below
        }
        throw ProblemException.validation(field, "must be a whole number of seconds from 1 to " + MAX_SECONDS);
    }

    /** The same rule for a number given in a body (MCP's {@code waitSeconds}). */
    public static Duration of(String field, Integer seconds) {
        return seconds == null ? null : parse(field, seconds.toString());
    }
}
