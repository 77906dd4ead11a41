package dev.olympus.metrics;

import dev.olympus.auth.Caller;
import dev.olympus.web.ProblemException;
import dev.olympus.web.ProblemException.FieldError;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A validated velocity request. Buckets are aligned to UTC hours or days; the first and the last may be cut by
 * {@code since} and {@code until} (events are counted in [since, until)).
 */
public record VelocityQuery(Instant since, Instant until, BucketSize bucket, String assignee, String createdBy) {

    private static final Pattern AGENT_NAME = Pattern.compile("^[a-z][a-z0-9-]{1,31}$");
    static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    /** What PostgreSQL and ISO-8601 agree on without surprises. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    public enum BucketSize {
        HOUR(Duration.ofHours(1)), DAY(Duration.ofDays(1));

        final Duration length;

        BucketSize(Duration length) {
            this.length = length;
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The start of the bucket holding {@code instant} (UTC-aligned). */
        Instant floor(Instant instant) {
            long size = length.toSeconds();
            return Instant.ofEpochSecond(Math.floorDiv(instant.getEpochSecond(), size) * size);
        }
    }

    /** Raw query parameters. */
    public record Params(String since, String until, String bucket, String assignee, String createdBy) {}

    public static VelocityQuery parse(Params p, Caller caller, Clock clock, int maxBuckets) {
        List<FieldError> errors = new ArrayList<>();
        Instant until = instant(p.until(), "until", errors);
        Instant since = instant(p.since(), "since", errors);
        BucketSize bucket = BucketSize.HOUR;
        if (p.bucket() != null) {
            bucket = switch (p.bucket()) {
                case "hour" -> BucketSize.HOUR;
                case "day" -> BucketSize.DAY;
                default -> {
                    errors.add(new FieldError("bucket", "must be hour or day"));
                    yield null;
                }
            };
        }
        String assignee = agent(p.assignee(), "assignee", caller, errors);
        String createdBy = agent(p.createdBy(), "createdBy", caller, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        if (until == null) {
            until = clock.instant().truncatedTo(ChronoUnit.MICROS); // the database keeps microseconds
        }
        if (since == null) {
            since = until.minus(DEFAULT_RANGE);
        }
        if (!since.isBefore(until)) {
            throw ProblemException.validation("since", "must be before until");
        }
        VelocityQuery query = new VelocityQuery(since, until, bucket, assignee, createdBy);
        if (query.bucketCount() > maxBuckets) {
            throw ProblemException.validation("bucket", "the range holds " + query.bucketCount() + " " + bucket.wire()
                    + " buckets; at most " + maxBuckets + " are allowed (use bucket=day or a shorter range)");
        }
        return query;
    }

    /** The start of every bucket, oldest first. */
    public List<Instant> bucketStarts() {
        List<Instant> starts = new ArrayList<>();
        for (Instant start = bucket.floor(since); start.isBefore(until); start = start.plus(bucket.length)) {
            starts.add(start);
        }
        return starts;
    }

    long bucketCount() {
        long first = bucket.floor(since).getEpochSecond();
        long size = bucket.length.toSeconds();
        long span = until.getEpochSecond() - first + (until.getNano() > 0 ? 1 : 0);
        return (span + size - 1) / size;
    }

    /** Hours of the bucket starting at {@code start} that lie inside [since, until). */
    double coveredHours(Instant start) {
        Instant from = start.isBefore(since) ? since : start;
        Instant end = start.plus(bucket.length);
        Instant to = end.isAfter(until) ? until : end;
        return hours(from, to);
    }

    double totalHours() {
        return hours(since, until);
    }

    private static double hours(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 3_600_000_000_000.0;
    }

    private static Instant instant(String raw, String field, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            Instant instant = Instant.parse(raw.trim()).truncatedTo(ChronoUnit.MICROS);
            if (!instant.isBefore(EARLIEST) && !instant.isAfter(LATEST)) {
                return instant;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.add(new FieldError(field, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z (years 1..9999)"));
        return null;
    }

    private static String agent(String raw, String field, Caller caller, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String name = "me".equals(raw.trim()) ? caller.name() : raw.trim();
        if (!AGENT_NAME.matcher(name).matches()) {
            errors.add(new FieldError(field, "must be an agent name or me"));
            return null;
        }
        return name;
    }

    /** The parameters of the velocity statements: $1 since, $2 until, then the assignee and the creator when given. */
    List<Object> params() {
        List<Object> params = new ArrayList<>();
        params.add(java.time.OffsetDateTime.ofInstant(since, java.time.ZoneOffset.UTC));
        params.add(java.time.OffsetDateTime.ofInstant(until, java.time.ZoneOffset.UTC));
        if (assignee != null) {
            params.add(assignee);
        }
        if (createdBy != null) {
            params.add(createdBy);
        }
        return params;
    }

    /**
     * The conditions for the filters given, numbered as {@link #params()} binds them; each template has one {@code %s}
     * for its parameter. Filters not given are left out, not bound to null, so that each shape plans well.
     */
    String filters(String assigneeMatch, String creatorMatch) {
        StringBuilder filters = new StringBuilder();
        int param = 3;
        if (assignee != null) {
            filters.append(" AND ").append(assigneeMatch.formatted("$" + param++));
        }
        if (createdBy != null) {
            filters.append(" AND ").append(creatorMatch.formatted("$" + param));
        }
        return filters.toString();
    }

    /** The bucket as an SQL interval. */
    String interval() {
        return bucket == BucketSize.HOUR ? "1 hour" : "1 day";
    }
}
