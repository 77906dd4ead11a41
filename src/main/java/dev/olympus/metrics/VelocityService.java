package dev.olympus.metrics;

import dev.olympus.metrics.VelocityRepository.Raw;
import dev.olympus.usage.UsageTotals;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns the database's counts into the velocity answer: every bucket of the range, ratios, rates. */
@ApplicationScoped
public class VelocityService {

    private final Pool pool;
    private final VelocityRepository repository;
    private final VelocityCosts costs;

    public VelocityService(Pool pool, VelocityRepository repository, VelocityCosts costs) {
        this.pool = pool;
        this.repository = repository;
        this.costs = costs;
    }

    public Uni<Velocity> velocity(VelocityQuery query) {
        return Uni.combine().all().unis(repository.velocity(pool, query), repository.answerTimes(pool, query),
                        costs.costs(pool, query))
                .with((result, answers, cost) -> {
                    List<Velocity.Bucket> buckets = new ArrayList<>();
                    for (Instant start : query.bucketStarts()) {
                        Raw raw = result.buckets().getOrDefault(start, Raw.empty(start));
                        buckets.add(new Velocity.Bucket(start, counts(raw, query.coveredHours(start), answers.get(start),
                                cost.buckets().getOrDefault(start, VelocityCosts.Cost.NONE))));
                    }
                    return new Velocity(query.since(), query.until(), query.bucket().wire(), buckets,
                            counts(result.total(), query.totalHours(), answers.get(null), cost.total()));
                });
    }

    static Velocity.Counts counts(Raw raw, double hours) {
        return counts(raw, hours, null, VelocityCosts.Cost.NONE);
    }

    static Velocity.Counts counts(Raw raw, double hours, VelocityRepository.AnswerTimes answers, VelocityCosts.Cost cost) {
        return new Velocity.Counts(raw.created(), raw.started(), raw.completed(), raw.failed(), raw.canceled(),
                raw.reopened(), raw.retries(),
                ratio(raw.failed(), raw.completed() + raw.failed()),
                ratio(raw.completed(), raw.created()),
                raw.p50(), raw.p90(),
                ratio(raw.retries(), raw.created()),
                hours > 0 ? raw.effective() / hours : 0,
                raw.accepted(), raw.rejected(), ratio(raw.firstPass(), raw.accepted()),
                answers == null ? null : answers.p50(), answers == null ? null : answers.p90(),
                UsageTotals.money(cost.cost()),
                VelocityCosts.divide(cost.cost(), BigDecimal.valueOf(raw.completed())),
                VelocityCosts.divide(cost.failedCost(), cost.cost()));
    }

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
