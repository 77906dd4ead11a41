package dev.olympus.ratelimit;

import jakarta.ws.rs.core.MultivaluedMap;

/**
 * The IETF {@code RateLimit-Policy} and {@code RateLimit} fields (draft-ietf-httpapi-ratelimit-headers,
 * structured-field lists): {@code RateLimit-Policy: "default";q=600;w=60} declares a quota of 600 per 60 s;
 * {@code RateLimit: "default";r=599;t=42} says 599 remain and the quota grows again in 42 s.
 */
public final class RateLimitHeaders {

    public static final String POLICY = "RateLimit-Policy";
    public static final String LIMIT = "RateLimit";
    public static final String RETRY_AFTER = "Retry-After";

    private RateLimitHeaders() {}

    public static String policy(String name, long quota, long windowSeconds) {
        return "\"" + name + "\";q=" + quota + ";w=" + windowSeconds;
    }

    public static String limit(String name, long remaining, long resetSeconds) {
        return "\"" + name + "\";r=" + remaining + ";t=" + resetSeconds;
    }

    /** Adds an item to a list field, on one line: {@code a, b}. */
    static void append(MultivaluedMap<String, Object> headers, String field, String item) {
        Object existing = headers.getFirst(field);
        if (existing == null) {
            headers.putSingle(field, item);
        } else if (!existing.toString().contains(item)) {
            headers.putSingle(field, existing + ", " + item);
        }
    }

    /** Whole seconds, rounded up: a client that waits this long is never early. */
    static long ceilSeconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
