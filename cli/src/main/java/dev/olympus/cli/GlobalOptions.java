package dev.olympus.cli;

import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * Options every command accepts, before or after its name (mixed into the root and every command). The setters
 * write into the invocation's {@link Cli}; they only ever set what was given, so a later default cannot undo it.
 */
final class GlobalOptions {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--json", description = "Print the API's JSON (the default when stdout is not a terminal).")
    void json(boolean value) {
        if (value) {
            Cli.current().json = true;
        }
    }

    @Option(names = "--field", paramLabel = "NAME",
            description = "Print only this field of the answer (a dotted path; one line per item of a list), e.g. --field id.")
    void field(String name) {
        if (name != null) {
            if (name.isBlank()) {
                throw CliException.usage("--field needs a field name, e.g. --field id");
            }
            Cli.current().field = name;
        }
    }

    @Option(names = "--debug", description = "On errors, also print the stack trace; log requests to stderr.")
    void debug(boolean value) {
        if (value) {
            Cli.current().debug = true;
        }
    }

    @Option(names = "--max-wait", paramLabel = "SECONDS",
            description = "Longest wait for Retry-After on 429 (rate limited), 423 (frozen) or 503, then exit 6 or 7 (default 60).")
    void maxWait(Long seconds) {
        if (seconds != null) {
            if (seconds < 0) {
                throw CliException.usage("--max-wait must be 0 or more seconds");
            }
            Cli.current().maxWait = Duration.ofSeconds(seconds);
        }
    }

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Longest wait for one answer; a POST that timed out is sent again with the same Idempotency-Key (default 30).")
    void timeout(Long seconds) {
        if (seconds != null) {
            if (seconds < 1) {
                throw CliException.usage("--timeout must be at least 1 second");
            }
            Cli.current().timeout = Duration.ofSeconds(seconds);
        }
    }

    @Option(names = "--url", paramLabel = "URL", description = "The server (default: OLYMPUS_URL, or url= in the config file).")
    void url(String url) {
        if (url != null) {
            Cli.current().url = url;
        }
    }

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "The Idempotency-Key of this command's POST (default: a new random one), e.g. to make a cron job's creation run once.")
    void idempotencyKey(String key) {
        if (key != null) {
            if (key.isBlank() || key.length() > 255) {
                throw CliException.usage("--idempotency-key must be 1..255 characters");
            }
            Cli.current().idempotencyKey = key;
        }
    }
}
