package dev.olympus.metrics;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/** Used until a real {@link ListenerStatus} bean exists: nothing listens, so nothing can be down. */
@DefaultBean
@ApplicationScoped
class NoListener implements ListenerStatus {

    @Override
    public boolean listening() {
        return true;
    }
}
