package dev.olympus.web;

/** Shared rules for list query parameters. */
public final class Limits {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    private Limits() {}

    /** @return the page size, or a 400 when outside 1..200. */
    public static int limit(String raw) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        int requested;
        try {
            requested = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            requested = 0;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw ProblemException.validation("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }
}
