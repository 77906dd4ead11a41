package dev.olympus.event;

import dev.olympus.auth.Caller;

/**
 * A WebSocket subscriber, as its upgrade request asked: who it is, where it resumes and what it wants.
 *
 * @param after the cursor to resume after; null means from now on (no replay)
 */
public record Subscription(Caller caller, Long after, EventFilter filter) {}
