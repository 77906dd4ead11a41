/*
 * Claim benchmark: N claimers (one worker agent each) call POST /api/v1/tasks/claim in a loop for a fixed time
 * against a running Olympus, then report claims per second, latency percentiles and double claims (a task id
 * answered to more than one claim; must be 0). Single file, JDK only:
 *
 *   java bench/Claim.java --url http://127.0.0.1:8080 --key olk_<admin key> --label bench \
 *        [--claimers 32] [--seconds 20] [--warmup 3] [--out bench/results/claim.md]
 *
 * The tasks must exist beforehand (bench/claim.sh seeds them in SQL), unassigned and labelled --label; the claimers
 * are created here as workers without capabilities and narrow their claims to --label. Requests stop by
 * themselves at the deadline; nothing but the given URL is contacted.
 */
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Claim {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Pattern API_KEY = Pattern.compile("\"apiKey\"\\s*:\\s*\"([^\"]+)\"");

    record Result(List<Long> ids, long[] latenciesNanos, int latencyCount, int empty, int errors, String lastError) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        String url = opts.getOrDefault("url", "http://127.0.0.1:8080");
        String adminKey = required(opts, "key");
        String label = opts.getOrDefault("label", "bench");
        int claimers = Integer.parseInt(opts.getOrDefault("claimers", "32"));
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "3"));
        String out = opts.get("out");

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < claimers; i++) {
            String body = "{\"name\":\"bench-" + run + "-" + i + "\",\"role\":\"worker\"}";
            HttpResponse<String> created = http.send(post(url + "/api/v1/agents", adminKey, body), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("Creating claimer " + i + " failed: " + created.statusCode() + " " + created.body());
            }
            Matcher key = API_KEY.matcher(created.body());
            key.find();
            keys.add(key.group(1));
        }
        String claimBody = "{\"labels\":[\"" + label + "\"]}";

        // Warm-up: the JIT and the connection pools, with claims that count for nothing but double claims.
        List<Result> warm = load(http, url, keys, claimBody, Duration.ofSeconds(warmup));
        List<Result> results = load(http, url, keys, claimBody, Duration.ofSeconds(seconds));

        List<Long> all = new ArrayList<>();
        warm.forEach(r -> all.addAll(r.ids()));
        int warmClaims = all.size();
        long claims = 0;
        int empty = 0;
        int errors = 0;
        String lastError = null;
        List<Long> latencies = new ArrayList<>();
        for (Result r : results) {
            all.addAll(r.ids());
            claims += r.ids().size();
            empty += r.empty();
            errors += r.errors();
            if (r.lastError() != null) {
                lastError = r.lastError();
            }
            for (int i = 0; i < r.latencyCount(); i++) {
                latencies.add(r.latenciesNanos()[i]);
            }
        }
        Set<Long> distinct = new HashSet<>(all);
        long doubles = all.size() - distinct.size();
        latencies.sort(null);
        double perSecond = claims / (double) seconds;

        String report = """
                # Claim benchmark

                - When: %s
                - Target: %s (%d claimers, one worker agent and one connection each, loopback)
                - Duration: %d s measured after %d s of warm-up (%d warm-up claims)
                - Machine: %d cores (`nproc`), %s

                | metric | value |
                |---|---|
                | claims | %d |
                | **claims/s** | **%.0f** |
                | double claims (same task answered twice) | **%d** |
                | 204 (nothing left to claim) | %d |
                | errors (non-200/204 or I/O) | %d |
                | latency p50 | %.1f ms |
                | latency p90 | %.1f ms |
                | latency p99 | %.1f ms |
                | latency max | %.1f ms |
                %s""".formatted(Instant.now(), url, claimers, seconds, warmup, warmClaims,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " " + Runtime.version(),
                claims, perSecond, doubles, empty, errors,
                pct(latencies, 0.50), pct(latencies, 0.90), pct(latencies, 0.99), pct(latencies, 1.0),
                lastError == null ? "" : "\nLast error: `" + lastError.replace('`', '\'') + "`\n");
        System.out.println(report);
        if (out != null) {
            Files.createDirectories(Path.of(out).toAbsolutePath().getParent());
            Files.writeString(Path.of(out), report);
        }
        System.exit(doubles == 0 && errors == 0 ? 0 : 1);
    }

    private static List<Result> load(HttpClient http, String url, List<String> keys, String body, Duration duration) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Result>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(keys.size())) {
            for (String key : keys) {
                futures.add(threads.submit(() -> claimLoop(http, url, key, body, start, deadline)));
            }
            start.countDown();
            List<Result> results = new ArrayList<>();
            for (Future<Result> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }

    private static Result claimLoop(HttpClient http, String url, String key, String body, CountDownLatch start, long deadline)
            throws InterruptedException {
        start.await();
        List<Long> ids = new ArrayList<>();
        long[] latencies = new long[1 << 16];
        int count = 0;
        int empty = 0;
        int errors = 0;
        String lastError = null;
        HttpRequest request = post(url + "/api/v1/tasks/claim", key, body);
        while (System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                long took = System.nanoTime() - t0;
                if (count < latencies.length) {
                    latencies[count++] = took;
                }
                if (response.statusCode() == 200) {
                    Matcher id = ID.matcher(response.body());
                    if (id.find()) {
                        ids.add(Long.parseLong(id.group(1)));
                    }
                } else if (response.statusCode() == 204) {
                    empty++;
                    Thread.sleep(5); // nothing left: do not spin
                } else {
                    errors++;
                    lastError = response.statusCode() + " " + response.body();
                }
            } catch (IOException e) {
                errors++;
                lastError = e.toString();
            }
        }
        return new Result(ids, latencies, count, empty, errors, lastError);
    }

    private static HttpRequest post(String url, String key, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static double pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Expected --option value, got " + Arrays.toString(args));
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        return opts;
    }

    private static String required(Map<String, String> opts, String name) {
        String value = opts.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
