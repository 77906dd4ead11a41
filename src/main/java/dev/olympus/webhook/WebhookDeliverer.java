package dev.olympus.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.event.Event;
import dev.olympus.event.EventFilter;
import dev.olympus.event.EventRepository;
import dev.olympus.wait.CommitWatch;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers webhooks from this instance. Every instance runs one; they share the work through the database.
 *
 * <h2>Claiming</h2>
 * After every commit seen by {@link CommitWatch} (any instance's) and on a safety timer
 * ({@code olympus.webhooks.poll-interval}, which also brings due retries), one statement claims active, due
 * webhooks whose cursor is behind the log's head and whose lease is free, with a lease and a new lease epoch
 * ({@link WebhookRepository#claim}). A claimed webhook is delivered by this instance only; every write of its outcome
 * is fenced by the epoch, so an instance that lost its lease (paused, replayed, taken over) writes nothing.
 *
 * <h2>Delivering one webhook</h2>
 * One loop per claimed webhook: read the matching events after its cursor (the event log's read path, in id order),
 * POST them one at a time, and after each 2xx move the cursor and renew the lease (that write overlaps the next
 * event's POST, and each write waits for the previous one, so the cursor only moves forward, in order; the writes are
 * {@link DeliveryRecorder}'s). The first failure ends the loop with a retry time (exponential backoff) and frees the
 * lease: later events wait, nothing is skipped or reordered.
 * When nothing is left, the loop records how far it looked and frees the lease; a commit that arrived meanwhile makes
 * it claim again, so no wake-up is lost between its last read and the release. An instance killed mid-delivery
 * leaves a lease that expires; another instance then claims the webhook and delivers the event again.
 */
@ApplicationScoped
public class WebhookDeliverer {

    private static final int CLAIM_LIMIT = 50;
    private static final int BATCH = 100;

    private final Vertx vertx;
    private final Pool pool;
    private final WebhookRepository webhooks;
    private final EventRepository events;
    private final WebhookSender sender;
    private final DeliveryRecorder recorder;
    private final CommitWatch commits;
    private final ObjectMapper json;
    private final WebhooksConfig config;

    private final AtomicBoolean claiming = new AtomicBoolean();
    private volatile boolean again;
    private volatile boolean stopped;
    /** Webhooks this instance is delivering now, with their "a commit arrived meanwhile" flag. */
    private final Map<Long, AtomicBoolean> running = new ConcurrentHashMap<>();
    private long timer = -1;

    public WebhookDeliverer(Vertx vertx, Pool pool, WebhookRepository webhooks, EventRepository events,
                            WebhookSender sender, DeliveryRecorder recorder, CommitWatch commits, ObjectMapper json,
                            WebhooksConfig config) {
        this.vertx = vertx;
        this.pool = pool;
        this.webhooks = webhooks;
        this.events = events;
        this.sender = sender;
        this.recorder = recorder;
        this.commits = commits;
        this.json = json;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (!config.deliver()) {
            return;
        }
        if (config.lease().compareTo(config.timeout().multipliedBy(2)) < 0) {
            Log.warnf("olympus.webhooks.lease (%s) should be at least twice olympus.webhooks.timeout (%s)",
                    config.lease(), config.timeout());
        }
        commits.listen(this::wake);
        timer = vertx.setPeriodic(Math.max(50, config.pollInterval().toMillis()), id -> wake());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Claims due webhooks now (or once more right after the claim in progress). */
    public void wake() {
        running.values().forEach(flag -> flag.set(true));
        again = true;
        if (!stopped && claiming.compareAndSet(false, true)) {
            claimRound();
        }
    }

    private void claimRound() {
        again = false;
        events.head(pool)
                .chain(head -> webhooks.claim(pool, head, DeliveryRecorder.seconds(config.lease()), CLAIM_LIMIT))
                .subscribe().with(claimed -> {
                    for (WebhookRepository.Claimed webhook : claimed) {
                        running.put(webhook.id(), new AtomicBoolean());
                        deliver(webhook, webhook.from(), webhook.failures() + 1);
                    }
                    if (claimed.size() == CLAIM_LIMIT) {
                        again = true;
                    }
                    roundFinished();
                }, failure -> {
                    Log.warnf("Claiming webhooks failed (%s); retrying on the next wake-up", failure.toString());
                    claiming.set(false);
                });
    }

    private void roundFinished() {
        claiming.set(false);
        if (again && !stopped && claiming.compareAndSet(false, true)) {
            claimRound();
        }
    }

    /** Reads the next matching events after {@code from} and delivers them in order. */
    private void deliver(WebhookRepository.Claimed webhook, long from, int attempt) {
        AtomicBoolean woken = running.get(webhook.id());
        if (woken != null) {
            woken.set(false);
        }
        EventFilter filter = WebhookFilters.eventFilter(webhook.types(), webhook.assignee());
        events.slice(pool, filter, from, Long.MAX_VALUE, BATCH)
                .chain(slice -> withLabel(webhook, slice.events()).map(matching -> new Batch(slice, matching)))
                .subscribe().with(batch -> {
                    List<EventRepository.Stored> read = batch.slice().events();
                    long lookedThrough = read.size() == BATCH ? read.getLast().id() : batch.slice().head();
                    if (batch.matching().isEmpty()) {
                        if (read.size() == BATCH) {
                            deliver(webhook, lookedThrough, attempt);
                        } else {
                            finish(webhook, lookedThrough);
                        }
                        return;
                    }
                    sendEach(webhook, batch.matching(), 0, attempt, lookedThrough, read.size() == BATCH,
                            Uni.createFrom().item(true));
                }, failure -> {
                    Log.warnf("Webhook %d: reading events failed (%s); its lease expires and it is tried again",
                            webhook.id(), failure.toString());
                    running.remove(webhook.id());
                });
    }

    private record Batch(EventRepository.Slice slice, List<Event> matching) {}

    /**
     * POSTs {@code batch[index]} and goes on with the next one. The previous event's acknowledgement ({@code written}:
     * the cursor write) runs while this event is on its way, and is awaited before this event's own outcome is
     * written, so the cursor still moves in event order; a lost lease stops the loop (the new holder delivers
     * again from the cursor, at least once).
     */
    private void sendEach(WebhookRepository.Claimed webhook, List<Event> batch, int index, int attempt, long lookedThrough,
                          boolean more, Uni<Boolean> written) {
        if (stopped) {
            running.remove(webhook.id());
            return;
        }
        if (index == batch.size()) {
            written.subscribe().with(stillHeld -> {
                if (!stillHeld) {
                    running.remove(webhook.id());
                } else if (more) {
                    deliver(webhook, lookedThrough, 1);
                } else {
                    finish(webhook, lookedThrough);
                }
            }, failure -> recordingFailed(webhook, failure));
            return;
        }
        Event event = batch.get(index);
        Buffer body = Buffer.buffer(toJson(event));
        long timestamp = System.currentTimeMillis() / 1000;
        String id = Long.toString(event.id());
        String signature = Signatures.header(id, timestamp, body.getBytes(), webhook.secret(), webhook.previousSecret());
        Uni.combine().all().unis(written, sender.post(webhook.url(), body, id, timestamp, signature)).asTuple()
                .subscribe().with(both -> {
                    if (!both.getItem1()) {
                        running.remove(webhook.id());
                        return;
                    }
                    WebhookSender.Outcome outcome = both.getItem2();
                    Uni<Boolean> recorded = recorder.recorded(webhook, event, attempt, outcome).memoize().indefinitely();
                    if (outcome.acknowledged()) {
                        recorded.subscribe().with(ok -> { }, failure -> { }); // starts the write; the loop goes on
                        sendEach(webhook, batch, index + 1, 1, lookedThrough, more, recorded);
                    } else {
                        recorded.subscribe().with(ok -> running.remove(webhook.id()), failure -> recordingFailed(webhook, failure));
                    }
                }, failure -> recordingFailed(webhook, failure));
    }

    private void recordingFailed(WebhookRepository.Claimed webhook, Throwable failure) {
        Log.warnf("Webhook %d: recording a delivery failed (%s); its lease expires and it is tried again",
                webhook.id(), failure.toString());
        running.remove(webhook.id());
    }

    private void finish(WebhookRepository.Claimed webhook, long lookedThrough) {
        webhooks.release(pool, webhook.id(), webhook.leaseEpoch(), lookedThrough).subscribe().with(released -> {
            AtomicBoolean woken = running.remove(webhook.id());
            if (woken != null && woken.get()) {
                wake(); // a commit arrived after the last read: claim again now that the lease is free
            }
        }, failure -> {
            running.remove(webhook.id());
            Log.debugf("Webhook %d: releasing failed (%s); the lease expires", webhook.id(), failure.getMessage());
        });
    }

    private Uni<List<Event>> withLabel(WebhookRepository.Claimed webhook, List<EventRepository.Stored> read) {
        List<Event> candidates = read.stream().map(EventRepository.Stored::event).toList();
        if (webhook.label() == null || candidates.isEmpty()) {
            return Uni.createFrom().item(candidates);
        }
        List<Long> lookUp = candidates.stream()
                .filter(e -> WebhookFilters.snapshotLabels(e) == null && e.taskId() != null)
                .map(Event::taskId).distinct().toList();
        Uni<Map<Long, List<String>>> current = lookUp.isEmpty() ? Uni.createFrom().item(Map.of())
                : webhooks.taskLabels(pool, lookUp);
        return current.map(labels -> {
            List<Event> matching = new ArrayList<>();
            for (Event e : candidates) {
                List<String> of = WebhookFilters.snapshotLabels(e);
                if (of == null && e.taskId() != null) {
                    of = labels.get(e.taskId());
                }
                if (of != null && Set.copyOf(of).contains(webhook.label())) {
                    matching.add(e);
                }
            }
            return matching;
        });
    }

    private byte[] toJson(Event event) {
        try {
            return json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An event could not be serialised", e);
        }
    }
}
