package dev.olympus.auth;

import dev.olympus.web.ProblemException;
import jakarta.enterprise.context.RequestScoped;

/** Holds the caller that {@link AuthFilter} authenticated for this request. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Caller get() {
        if (caller == null) {
            throw ProblemException.unauthorized("No credential was presented.");
        }
        return caller;
    }
}
