package dev.olympus.auth;

import dev.olympus.web.ProblemException;
import io.smallrye.common.vertx.ContextLocals;
import jakarta.inject.Singleton;

/**
 * The caller that {@link AuthFilter} authenticated for this request, kept in the request's Vert.x (duplicated)
 * context, which every stage of the request runs on: filters, the resource, the database callbacks and the response
 * filters. A request-scoped bean would do the same through a CDI context activated for every request and a client
 * proxy on every call; this is one map lookup.
 */
@Singleton
public class CurrentCaller {

    private static final String KEY = CurrentCaller.class.getName();

    void set(Caller caller) {
        ContextLocals.put(KEY, caller);
    }

    public Caller get() {
        Caller caller = ContextLocals.<Caller>get(KEY).orElse(null);
        if (caller == null) {
            throw ProblemException.unauthorized("No credential was presented.");
        }
        return caller;
    }
}
