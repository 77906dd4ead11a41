package dev.olympus.cli;

/** The CLI's exit codes, stable and documented in docs/cli.md: one per class of outcome, not per problem code. */
final class Exit {
    static final int OK = 0;
    static final int OTHER = 1;
    static final int USAGE = 2;
    static final int NOTHING_TO_DO = 3;
    static final int CONFLICT = 4;
    static final int FORBIDDEN = 5;
    static final int THROTTLED = 6;
    static final int UNAVAILABLE = 7;

    private Exit() {}

    /** The exit code for an HTTP error status (after any waiting for Retry-After is over). */
    static int forStatus(int status) {
        return switch (status) {
            case 400, 413, 414, 415, 422, 431 -> USAGE;   // the request as given can never succeed
            case 401, 403 -> FORBIDDEN;
            case 409, 412 -> CONFLICT;
            case 423, 429 -> THROTTLED;
            case 502, 503, 504 -> UNAVAILABLE;
            default -> OTHER;
        };
    }
}
