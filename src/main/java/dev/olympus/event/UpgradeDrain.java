package dev.olympus.event;

import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper;
import io.vertx.core.http.HttpServerRequest;

import java.lang.reflect.Method;

/**
 * Works around Quarkus 3.33: its graceful-shutdown filter ({@code quarkus.shutdown.timeout}) counts a request as in
 * flight until its HTTP response ends, and the request of an upgraded WebSocket never ends. Once any subscriber has
 * connected, even one that left long ago, every SIGTERM then waits the whole timeout (measured: 20 s instead of
 * 0.1 s). When an event WebSocket closes, this tells the filter that its request is done, through the request
 * wrapper's package-private {@code done()}; on SIGTERM {@link EventStream} closes every session (1001) first, so the
 * drain waits only for subscribers to acknowledge. Should a Quarkus version change these internals, the workaround
 * switches itself off and shutdown merely waits the timeout again.
 */
@RegisterForReflection(targets = QuarkusRequestWrapper.class)
final class UpgradeDrain {

    private static final Runnable NOTHING = () -> { };
    private static final Method DONE = find();

    private UpgradeDrain() {}

    /** What to run when the WebSocket upgraded from {@code request} has closed. */
    static Runnable onClosed(HttpServerRequest request) {
        if (DONE == null) {
            return NOTHING;
        }
        QuarkusRequestWrapper wrapper;
        try {
            wrapper = QuarkusRequestWrapper.get(request);
        } catch (RuntimeException e) {
            return NOTHING; // not wrapped: nothing counts it
        }
        if (wrapper == null) {
            return NOTHING;
        }
        return () -> {
            try {
                DONE.invoke(wrapper);
            } catch (ReflectiveOperationException | RuntimeException e) {
                Log.debugf("Could not mark a WebSocket upgrade request done: %s", e.toString());
            }
        };
    }

    private static Method find() {
        try {
            Method done = QuarkusRequestWrapper.class.getDeclaredMethod("done");
            done.setAccessible(true);
            return done;
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.debugf("QuarkusRequestWrapper.done() is not reachable (%s): shutdown waits quarkus.shutdown.timeout "
                    + "once a WebSocket was open", e.toString());
            return null;
        }
    }
}
