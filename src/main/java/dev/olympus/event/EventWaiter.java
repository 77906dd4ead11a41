package dev.olympus.event;

import dev.olympus.auth.Caller;
import dev.olympus.wait.LongPoll;
import dev.olympus.wait.LongPoll.Attempt;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * {@code GET /events?wait=}: when no event the caller may see follows the cursor, the poll is held until one is
 * committed on any instance (answered with it at once) or the wait ends (200 with empty {@code items} and the
 * current {@code head}). Held without a thread, by {@link LongPoll}.
 */
@ApplicationScoped
public class EventWaiter {

    private final EventService events;
    private final LongPoll polls;

    public EventWaiter(EventService events, LongPoll polls) {
        this.events = events;
        this.polls = polls;
    }

    public Uni<EventPage> poll(Caller caller, Long after, int limit, EventFilter filter, Duration wait) {
        if (wait == null) {
            return events.poll(caller, after, limit, filter);
        }
        return polls.hold(caller, wait,
                () -> events.poll(caller, after, limit, filter)
                        .map(page -> page.items().isEmpty() ? Attempt.<EventPage>keepWaiting() : Attempt.answer(page)),
                () -> events.poll(caller, after, limit, filter),
                unwanted -> { /* a page nobody reads costs nothing */ });
    }
}
