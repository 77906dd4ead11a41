package dev.olympus.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test bean: records every {@link AgentKilled} fired in the application under test. */
@ApplicationScoped
public class KilledAgents {

    private final List<String> fired = new CopyOnWriteArrayList<>();

    void onKilled(@Observes AgentKilled event) {
        fired.add(event.agent());
    }

    public long count(String agent) {
        return fired.stream().filter(agent::equals).count();
    }
}
