package dev.olympus.auth;

import dev.olympus.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A measurement, not a test (surefire's default includes do not match the name, so the suite never runs it): the
 * in-process cost of one credential check, cached and uncached. Run it with {@code bench/credential-check.sh}; it
 * writes {@code bench/results/credential-check-<timestamp>.md}.
 */
@QuarkusTest
class CredentialCheckBench {

    private static final int ROUNDS = 3000;

    @Inject
    Authenticator authenticator;

    @Inject
    CredentialCache cache;

    @Test
    void measureCredentialCheckCost() throws IOException {
        var worker = Api.agent("worker");
        String token = AccessTokenTest.token(worker.key());
        for (int i = 0; i < 500; i++) { // warm-up
            authenticate(worker.key());
            authenticate(token);
        }
        long keyCached = time(() -> authenticate(worker.key()));
        long tokenCached = time(() -> authenticate(token));
        // CPU time of this thread: what a cached check costs without the waiting a busy machine adds.
        long keyCachedCpu = cpu(() -> authenticate(worker.key()));
        long tokenCachedCpu = cpu(() -> authenticate(token));
        long keyUncached = time(() -> {
            cache.invalidate();
            authenticate(worker.key());
        });
        long tokenUncached = time(() -> {
            cache.invalidate();
            cache.forgetTokens();
            authenticate(token);
        });
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String report = """
                # Credential check cost, %s

                In-process (`CredentialCheckBench`), mean of %d checks, load average %.1f on %d cores.

                | credential | cached (wall) | cached (CPU) | uncached (wall) |
                |---|---|---|---|
                | API key | %d µs | %d µs | %d µs |
                | access token | %d µs | %d µs | %d µs (signature + database) |
                """.formatted(now, ROUNDS, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors(), keyCached, keyCachedCpu, keyUncached, tokenCached,
                tokenCachedCpu, tokenUncached);
        Path out = Path.of("bench", "results", "credential-check-" + now.toString().replace(":", "") + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report + "\nwritten to " + out);
        assertThat(keyCached).isLessThan(keyUncached);
    }

    private static long time(Runnable check) {
        long start = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            check.run();
        }
        return (System.nanoTime() - start) / ROUNDS / 1000;
    }

    private static long cpu(Runnable check) {
        var threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < ROUNDS; i++) {
            check.run();
        }
        return (threads.getCurrentThreadCpuTime() - start) / ROUNDS / 1000;
    }

    private Caller authenticate(String credential) {
        return authenticator.authenticateCredential(credential).await().atMost(Duration.ofSeconds(5));
    }
}
