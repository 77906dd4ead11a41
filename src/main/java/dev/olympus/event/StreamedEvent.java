package dev.olympus.event;

import java.util.List;

/** An event on its way from {@link EventStream} to the sessions: serialised once for all of them. */
record StreamedEvent(long id, String type, List<String> audience, String json) {}
