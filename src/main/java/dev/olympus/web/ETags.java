package dev.olympus.web;

/** {@code ETag: "<version>"} and the matching {@code If-Match} parsing. */
public final class ETags {

    private ETags() {}

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /**
     * @return the version the client expects, or null when it sent no {@code If-Match} (or {@code *}):
     * then the write is applied, last writer wins.
     */
    public static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        String tag = ifMatch.trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        try {
            return Long.parseLong(tag);
        } catch (NumberFormatException e) {
            throw ProblemException.validation("If-Match", "must be an ETag issued by this service, e.g. \"3\"");
        }
    }
}
