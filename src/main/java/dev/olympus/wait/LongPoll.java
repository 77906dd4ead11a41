package dev.olympus.wait;

import dev.olympus.auth.AgentKilled;
import dev.olympus.auth.Authenticator;
import dev.olympus.auth.Caller;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Holds requests until an attempt succeeds or the wait ends, without a thread per waiter: a waiter is an entry in a
 * map, a Vert.x timer and an emitter. Every commit seen by {@link CommitWatch} makes each waiter attempt again
 * (oldest waiter first); an attempt that is running when a commit arrives runs once more after it ends, so no commit
 * is missed between an attempt's snapshot and its end. At most one attempt per waiter runs at a time.
 *
 * <p>Endings: the attempt's answer; the wait's end ({@code onTimeout}); a kill of the caller's agent, on any instance
 * (403 {@code agent-killed}); the client going away (the request's Uni is cancelled); shutdown (the wait's end, so
 * that the HTTP drain is not held up). An answer produced after the waiter ended (the client left, the wait ended
 * meanwhile) is handed to {@code unwanted}, so that a claimed task can be given back.
 */
@ApplicationScoped
public class LongPoll {

    /** What one attempt found: an answer (which may be null: "answer with nothing"), or nothing yet. */
    public record Attempt<T>(boolean answered, T value) {
        public static <T> Attempt<T> answer(T value) {
            return new Attempt<>(true, value);
        }

        public static <T> Attempt<T> keepWaiting() {
            return new Attempt<>(false, null);
        }
    }

    private static final int IDLE = 0;
    private static final int ATTEMPTING = 1;
    private static final int DONE = 2;

    private final Vertx vertx;
    private final CommitWatch commits;
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentSkipListMap<Long, Waiter<?>> waiters = new ConcurrentSkipListMap<>();
    private final Thread shutdownHook = new Thread(this::endAll, "olympus-long-poll-shutdown");

    public LongPoll(Vertx vertx, CommitWatch commits) {
        this.vertx = vertx;
        this.commits = commits;
    }

    void start(@Observes StartupEvent event) {
        commits.listen(this::wakeAll);
        // Like the event stream: answer held requests at once on SIGTERM, so the HTTP drain does not wait for them.
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Requests held on this instance now (for tests and metrics). */
    public int waiting() {
        return waiters.size();
    }

    /**
     * Attempts at once; when that finds nothing, holds until an attempt answers or {@code wait} ends.
     *
     * @param attempt   one try; it may run many times, never two at once
     * @param onTimeout the answer when the wait ends first
     * @param unwanted  receives an answer that was produced after the waiter ended
     */
    public <T> Uni<T> hold(Caller caller, Duration wait, Supplier<Uni<Attempt<T>>> attempt, Supplier<Uni<T>> onTimeout,
                           Consumer<T> unwanted) {
        return Uni.createFrom().<T>emitter(emitter -> {
            Waiter<T> waiter = new Waiter<>(sequence.incrementAndGet(), caller, attempt, onTimeout, unwanted, emitter);
            waiters.put(waiter.id, waiter);
            emitter.onTermination(() -> waiter.end());
            waiter.timer = vertx.setTimer(wait.toMillis(), id -> waiter.timeOut());
            waiter.wake();
        });
    }

    private void wakeAll() {
        for (Waiter<?> waiter : waiters.values()) {
            waiter.wake();
        }
    }

    void onAgentKilled(@Observes AgentKilled killed) {
        for (Waiter<?> waiter : waiters.values()) {
            if (waiter.caller.name().equals(killed.agent())) {
                waiter.fail(Authenticator.killed(killed.agent()));
            }
        }
    }

    private void endAll() {
        for (Waiter<?> waiter : waiters.values()) {
            waiter.timeOut();
        }
    }

    private final class Waiter<T> {
        final long id;
        final Caller caller;
        final Supplier<Uni<Attempt<T>>> attempt;
        final Supplier<Uni<T>> onTimeout;
        final Consumer<T> unwanted;
        final UniEmitter<? super T> emitter;
        final AtomicInteger state = new AtomicInteger(IDLE);
        volatile boolean again;
        volatile boolean expired;
        volatile long timer = -1;

        Waiter(long id, Caller caller, Supplier<Uni<Attempt<T>>> attempt, Supplier<Uni<T>> onTimeout,
               Consumer<T> unwanted, UniEmitter<? super T> emitter) {
            this.id = id;
            this.caller = caller;
            this.attempt = attempt;
            this.onTimeout = onTimeout;
            this.unwanted = unwanted;
            this.emitter = emitter;
        }

        void wake() {
            again = true;
            if (state.compareAndSet(IDLE, ATTEMPTING)) {
                run();
            }
        }

        private void run() {
            again = false;
            Uni<Attempt<T>> once;
            try {
                once = attempt.get();
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            once.subscribe().with(this::attempted, this::fail);
        }

        private void attempted(Attempt<T> result) {
            if (result.answered()) {
                if (!finish()) {
                    giveBack(result.value());
                    return;
                }
                emitter.complete(result.value());
                return;
            }
            if (!state.compareAndSet(ATTEMPTING, IDLE)) {
                return; // ended meanwhile (killed, client gone)
            }
            if (expired) {
                timeOut();
            } else if (again && state.compareAndSet(IDLE, ATTEMPTING)) {
                run();
            }
        }

        /** The wait is over: answers at once when idle, else when the running attempt ends (its answer wins). */
        void timeOut() {
            expired = true;
            if (state.compareAndSet(IDLE, DONE)) {
                cleanUp();
                onTimeout.get().subscribe().with(emitter::complete, emitter::fail);
            }
            // else attempting: attempted() sees `expired` once the attempt found nothing, and comes back here
        }

        void fail(Throwable failure) {
            if (state.getAndSet(DONE) != DONE) {
                cleanUp();
                emitter.fail(failure);
            } else {
                Log.debugf("A long poll failed after it ended: %s", failure.getMessage());
            }
        }

        /** The client went away (or the answer was sent): nothing more to do for this waiter. */
        void end() {
            if (state.getAndSet(DONE) != DONE) {
                cleanUp();
            }
        }

        private boolean finish() {
            if (state.compareAndSet(ATTEMPTING, DONE)) {
                cleanUp();
                return true;
            }
            return false;
        }

        private void giveBack(T value) {
            if (value != null) {
                unwanted.accept(value);
            }
        }

        private void cleanUp() {
            waiters.remove(id);
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }
}
