package dev.olympus.health;

import dev.olympus.scheduler.SchedulerStatus;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * {@code /q/health/well}: whether this instance leads the scheduler, and when it last ran. Always up: a follower
 * is healthy too (it takes over when the leader goes away).
 */
@Wellness
@ApplicationScoped
public class SchedulerHealth implements HealthCheck {

    private final SchedulerStatus status;

    public SchedulerHealth(SchedulerStatus status) {
        this.status = status;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("scheduler").up()
                .withData("leader", status.leader())
                .withData("runs", status.runs());
        if (status.lastRunAt() != null) {
            builder.withData("lastRunAt", status.lastRunAt().toString());
        }
        return builder.build();
    }
}
