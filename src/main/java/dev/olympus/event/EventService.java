package dev.olympus.event;

import dev.olympus.auth.Caller;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The event stream for polling clients, and the cursor rules shared with the WebSocket. */
@ApplicationScoped
public class EventService {

    private final Pool pool;
    private final EventRepository events;

    public EventService(Pool pool, EventRepository events) {
        this.pool = pool;
        this.events = events;
    }

    /**
     * Events after {@code after} that the caller may see, oldest first. Without {@code after}: from the oldest
     * retained event. A cursor below what retention deleted is a 410 {@code cursor-expired}, never a silent gap.
     */
    public Uni<EventPage> poll(Caller caller, Long after, int limit, EventFilter filter) {
        long from = after == null ? 0 : after;
        return events.slice(pool, filter, from, Long.MAX_VALUE, limit + 1).map(slice -> {
            if (after != null && after < slice.prunedThrough()) {
                throw cursorExpired(after, slice.prunedThrough());
            }
            boolean more = slice.events().size() > limit;
            List<Event> items = slice.events().stream().limit(limit).map(EventRepository.Stored::event).toList();
            return new EventPage(items, more ? Long.toString(items.getLast().id()) : null, slice.head());
        });
    }

    /** An event cursor: a non-negative event id; null when absent. */
    public static Long parseCursor(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            long value = Long.parseLong(raw.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // the problem below
        }
        throw ProblemException.validation(field, "must be an event id (a non-negative integer)");
    }

    static ProblemException cursorExpired(long after, long prunedThrough) {
        return new ProblemException(410, ProblemCode.CURSOR_EXPIRED, "Cursor expired",
                "Events after " + after + " have been deleted by retention (olympus.events.retention). Re-read the "
                        + "current state, then resume with after=" + prunedThrough + ".")
                .with("oldestCursor", prunedThrough);
    }
}
