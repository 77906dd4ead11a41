package dev.olympus.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * One invocation's context: environment, streams, global options, and the lazily made API client and lease state.
 * Commands reach it through {@link #current()} (a CLI runs one command per process; the AOT training runs several
 * one after the other).
 */
final class Cli {

    private static Cli current;

    final Map<String, String> env;
    final PrintStream out;
    final PrintStream err;
    final InputStream in;
    final boolean tty;

    boolean json;
    boolean debug;
    Duration maxWait = Duration.ofSeconds(60);
    Duration timeout = Duration.ofSeconds(30);
    String url;
    String idempotencyKey;
    /** --field: print only this field of the answer. */
    String field;

    private Config config;
    private Api api;
    private LeaseState leases;

    Cli(Map<String, String> env, PrintStream out, PrintStream err, InputStream in, boolean tty) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.in = in;
        this.tty = tty;
    }

    static Cli current() {
        return current;
    }

    static void use(Cli cli) {
        current = cli;
    }

    /** Tables for a person at a terminal; the API's JSON for --json and for pipes, files and programs. */
    boolean tables() {
        return tty && !json;
    }

    Config config() {
        if (config == null) {
            config = Config.load(env, url);
        }
        return config;
    }

    Api api() {
        if (api == null) {
            api = new Api(this, config());
        }
        return api;
    }

    LeaseState leases() {
        if (leases == null) {
            leases = new LeaseState(config());
        }
        return leases;
    }

    Output output() {
        return new Output(this);
    }

    /**
     * Stops the HTTP client's selector thread: a thread waiting in native code (epoll) makes the JVM's exit wait
     * for it for 300 ms, as long as the rest of a call.
     */
    void close() {
        if (api != null) {
            api.http().shutdownNow();
            try {
                api.http().awaitTermination(Duration.ofMillis(200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void debug(String message) {
        if (debug) {
            err.println("[debug] " + message);
        }
    }
}
