package dev.olympus.metrics;

import dev.olympus.metrics.VelocityRepository.Raw;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns the database's counts into the velocity answer: every bucket of the range, ratios, rates. */
@ApplicationScoped
public class VelocityService {

    private final Pool pool;
    private final VelocityRepository repository;

    public VelocityService(Pool pool, VelocityRepository repository) {
        this.pool = pool;
        this.repository = repository;
    }

    public Uni<Velocity> velocity(VelocityQuery query) {
        return Uni.combine().all().unis(repository.velocity(pool, query), repository.answerTimes(pool, query))
                .with((result, answers) -> {
                    List<Velocity.Bucket> buckets = new ArrayList<>();
                    for (Instant start : query.bucketStarts()) {
                        Raw raw = result.buckets().getOrDefault(start, Raw.empty(start));
                        buckets.add(new Velocity.Bucket(start, counts(raw, query.coveredHours(start), answers.get(start))));
                    }
                    return new Velocity(query.since(), query.until(), query.bucket().wire(), buckets,
                            counts(result.total(), query.totalHours(), answers.get(null)));
                });
    }

    static Velocity.Counts counts(Raw raw, double hours) {
        return counts(raw, hours, null);
    }

    static Velocity.Counts counts(Raw raw, double hours, VelocityRepository.AnswerTimes answers) {
        return new Velocity.Counts(raw.created(), raw.started(), raw.completed(), raw.failed(), raw.canceled(),
                raw.reopened(), raw.retries(),
                ratio(raw.failed(), raw.completed() + raw.failed()),
                ratio(raw.completed(), raw.created()),
                raw.p50(), raw.p90(),
                ratio(raw.retries(), raw.created()),
                hours > 0 ? raw.effective() / hours : 0,
                raw.accepted(), raw.rejected(), ratio(raw.firstPass(), raw.accepted()),
                answers == null ? null : answers.p50(), answers == null ? null : answers.p90());
    }

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
