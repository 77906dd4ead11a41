package dev.olympus.idempotency;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Forgets expired {@code Idempotency-Key}s. Runs on every instance; deleting twice is harmless. */
@ApplicationScoped
public class IdempotencyCleanup {

    private final IdempotencyStore store;

    public IdempotencyCleanup(IdempotencyStore store) {
        this.store = store;
    }

    @Scheduled(every = "{olympus.idempotency.cleanup-every}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return store.purgeExpired()
                .invoke(deleted -> {
                    if (deleted > 0) {
                        Log.debugf("Deleted %d expired idempotency keys", deleted);
                    }
                })
                .onFailure().invoke(e -> Log.warnf("Could not delete expired idempotency keys: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
