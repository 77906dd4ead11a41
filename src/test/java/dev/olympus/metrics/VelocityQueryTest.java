package dev.olympus.metrics;

import dev.olympus.auth.Caller;
import dev.olympus.auth.Role;
import dev.olympus.web.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Bucket arithmetic, without a database. */
class VelocityQueryTest {

    static final Caller CALLER = new Caller(1, "watcher", Role.OBSERVER, "k", 0, 0);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T15:20:30.123456789Z"), ZoneOffset.UTC);

    @Test
    void bucketsAreUtcAlignedAndTheCountMatchesTheStartsAtEveryBoundary() {
        String[][] ranges = {
                {"2026-03-10T10:00:00Z", "2026-03-10T12:00:00Z", "hour", "2"},
                {"2026-03-10T10:00:00Z", "2026-03-10T12:00:00.000001Z", "hour", "3"},
                {"2026-03-10T10:59:59.999Z", "2026-03-10T11:00:00Z", "hour", "1"},
                {"2026-03-10T10:30:00Z", "2026-03-12T00:00:00Z", "day", "2"},
                {"2026-03-10T00:00:00Z", "2026-03-10T00:00:01Z", "day", "1"},
                {"1969-12-31T23:30:00Z", "1970-01-01T00:30:00Z", "hour", "2"},
        };
        for (String[] r : ranges) {
            VelocityQuery q = parse(r[0], r[1], r[2]);
            assertThat(q.bucketStarts()).as(String.join(" ", r)).hasSize(Integer.parseInt(r[3]));
            assertThat(q.bucketCount()).as(String.join(" ", r)).isEqualTo(Integer.parseInt(r[3]));
        }
        assertThat(parse("2026-03-10T10:30:00Z", "2026-03-12T00:00:00Z", "day").bucketStarts())
                .containsExactly(Instant.parse("2026-03-10T00:00:00Z"), Instant.parse("2026-03-11T00:00:00Z"));
    }

    @Test
    void coveredHoursCutTheFirstAndLastBucket() {
        VelocityQuery q = parse("2026-03-10T10:45:00Z", "2026-03-10T12:15:00Z", "hour");
        assertThat(q.coveredHours(Instant.parse("2026-03-10T10:00:00Z"))).isEqualTo(0.25, within(1e-12));
        assertThat(q.coveredHours(Instant.parse("2026-03-10T11:00:00Z"))).isEqualTo(1.0, within(1e-12));
        assertThat(q.coveredHours(Instant.parse("2026-03-10T12:00:00Z"))).isEqualTo(0.25, within(1e-12));
        assertThat(q.totalHours()).isEqualTo(1.5, within(1e-12));
    }

    @Test
    void defaultsAndLimits() {
        VelocityQuery q = VelocityQuery.parse(new VelocityQuery.Params(null, null, null, "me", null), CALLER, CLOCK, 2000);
        assertThat(q.until()).isEqualTo(Instant.parse("2026-03-10T15:20:30.123456Z"));
        assertThat(q.since()).isEqualTo(Instant.parse("2026-03-09T15:20:30.123456Z"));
        assertThat(q.assignee()).isEqualTo("watcher");
        assertThat(q.bucketStarts()).hasSize(25);
        assertThatThrownBy(() -> parse("2026-01-01T00:00:00Z", "2026-03-25T08:00:01Z", "hour"))
                .isInstanceOf(ProblemException.class).hasMessageContaining("2001 hour buckets");
        assertThat(parse("2026-01-01T00:00:00Z", "2026-03-25T08:00:00Z", "hour").bucketCount()).isEqualTo(2000);
        assertThatThrownBy(() -> parse("0000-12-31T00:00:00Z", "2026-01-01T00:00:00Z", "day"))
                .isInstanceOf(ProblemException.class).hasMessageContaining("since");
    }

    private static VelocityQuery parse(String since, String until, String bucket) {
        return VelocityQuery.parse(new VelocityQuery.Params(since, until, bucket, null, null), CALLER, CLOCK, 2000);
    }
}
