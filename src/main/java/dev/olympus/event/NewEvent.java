package dev.olympus.event;

import io.vertx.core.json.JsonObject;

/** An event about to be written in the transaction of the change it describes. */
public record NewEvent(String type, String actor, Long taskId, String agent, JsonObject data) {

    public static NewEvent task(String type, String actor, long taskId, JsonObject data) {
        return new NewEvent(type, actor, taskId, null, data);
    }

    public static NewEvent agent(String type, String actor, String agent, JsonObject data) {
        return new NewEvent(type, actor, null, agent, data);
    }
}
