package dev.olympus.health;

import dev.olympus.db.Notifications;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The listener is {@link Notifications}' LISTEN connection: the event stream learns of new events through it.
 * A default bean: a feature with a finer notion of "listening" (e.g. subscribed and caught up) replaces it by
 * providing its own {@link ListenerStatus}.
 */
@DefaultBean
@ApplicationScoped
class NotificationsListenerStatus implements ListenerStatus {

    private final Notifications notifications;

    NotificationsListenerStatus(Notifications notifications) {
        this.notifications = notifications;
    }

    @Override
    public boolean listening() {
        return notifications.listening();
    }
}
