package dev.olympus.event;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * One page of the event stream for polling clients.
 *
 * @param nextCursor pass it as {@code after} for the next page; null when this page reached {@code head}
 * @param head       the newest event id visible when the page was read: {@code after=head} continues from now on
 */
@RegisterForReflection
public record EventPage(
        List<Event> items,
        @Schema(description = "Pass as `after` for the next page; null when this page reached `head` (then continue with `after=head`)")
        String nextCursor,
        @Schema(description = "The newest event id visible now; `after=<head>` means from now on")
        long head) {}
