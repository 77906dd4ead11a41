// WebSocket fan-out load client: N subscribers on one instance, events committed at a steady rate, delay from
// commit to receipt. JDK only: run with `java Bench.java --url http://127.0.0.1:8080 --key olk_...` (bench/ws-fanout.sh
// starts a throwaway database and the packaged service and calls it).
//
// Options: --url, --key (an operator key), --subscribers (1000), --per-agent (10 connections per observer agent),
//          --rate (events per second, 20), --seconds (measured, 30), --warmup (seconds, 5), --out (Markdown file).
//
// Each event is a comment whose body carries its sequence number and the wall-clock time the POST was sent. For
// every event each subscriber records receipt - at (the event's `at`, the transaction's start on the database's
// clock, i.e. just before commit; same host, same clock) and receipt - sent (includes the write itself).

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Bench {

    static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    static final Pattern AT = Pattern.compile("\"at\":\"([^\"]+)\"");
    static final Pattern BODY = Pattern.compile("\"body\":\"bench (\\d+) (\\d+)\"");

    final String url;
    final String key;
    final int subscribers;
    final int perAgent;
    final int rate;
    final int seconds;
    final int warmup;
    /** The writer's and set-up's client; subscribers spread over their own clients (one selector thread each). */
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final List<HttpClient> subscriberClients = new ArrayList<>();

    /** Delays in microseconds of measured events, over all subscribers. */
    final long[] fromCommit;
    final long[] fromSent;
    final AtomicInteger samples = new AtomicInteger();
    final AtomicLong received = new AtomicLong();
    final AtomicLong outOfOrder = new AtomicLong();
    final AtomicLong closed = new AtomicLong();
    final ConcurrentLinkedQueue<String> closeReasons = new ConcurrentLinkedQueue<>();
    /** Sequence numbers at or above this are measured (the rest is warm-up). */
    volatile long firstMeasured = Long.MAX_VALUE;

    Bench(Map<String, String> o) {
        url = o.getOrDefault("url", "http://127.0.0.1:8080");
        key = o.get("key");
        subscribers = Integer.parseInt(o.getOrDefault("subscribers", "1000"));
        perAgent = Integer.parseInt(o.getOrDefault("per-agent", "10"));
        rate = Integer.parseInt(o.getOrDefault("rate", "20"));
        seconds = Integer.parseInt(o.getOrDefault("seconds", "30"));
        warmup = Integer.parseInt(o.getOrDefault("warmup", "5"));
        for (int i = 0; i < (subscribers + 49) / 50; i++) {
            subscriberClients.add(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
        }
        int capacity = subscribers * rate * (seconds + 2);
        fromCommit = new long[capacity];
        fromSent = new long[capacity];
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!options.containsKey("key")) {
            System.err.println("usage: java Bench.java --url http://host:port --key olk_... [--subscribers 1000] [--rate 20] "
                    + "[--seconds 30] [--warmup 5] [--per-agent 10] [--out result.md]");
            System.exit(2);
        }
        Bench bench = new Bench(options);
        String report = bench.run();
        System.out.println(report);
        if (options.containsKey("out")) {
            Files.writeString(Path.of(options.get("out")), report);
        }
        System.exit(0);
    }

    String run() throws Exception {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        String writerKey = post("/api/v1/agents", key, "{\"name\":\"bench-writer-" + run + "\",\"role\":\"orchestrator\"}", "apiKey");
        String task = post("/api/v1/tasks", writerKey, "{\"title\":\"fan-out\"}", "id");
        List<String> subscriberKeys = new ArrayList<>();
        for (int i = 0; i < (subscribers + perAgent - 1) / perAgent; i++) {
            subscriberKeys.add(post("/api/v1/agents", key, "{\"name\":\"bench-sub-" + run + "-" + i + "\",\"role\":\"observer\"}", "apiKey"));
        }

        long connectStart = System.nanoTime();
        List<WebSocket> sockets = connectAll(subscriberKeys);
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        System.err.printf("%d subscribers connected in %.1f s%n", sockets.size(), connectSeconds);

        // A steady rate: one POST every 1/rate s, sent asynchronously so a slow response never delays the next.
        int total = rate * (warmup + seconds);
        firstMeasured = (long) rate * warmup;
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long[] responseMicros = new long[total];
        CompletableFuture<?>[] writes = new CompletableFuture<?>[total];
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        CompletableFuture<Void> allSent = new CompletableFuture<>();
        AtomicInteger next = new AtomicInteger();
        long startedAt = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> {
            int seq = next.getAndIncrement();
            if (seq >= total) {
                allSent.complete(null);
                return;
            }
            long sent = nowMicros();
            String body = "{\"body\":\"bench " + seq + " " + sent + "\"}";
            writes[seq] = http.sendAsync(request("/api/v1/tasks/" + task + "/comments", writerKey)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        if (error == null && response.statusCode() == 201) {
                            ok.incrementAndGet();
                            responseMicros[seq] = nowMicros() - sent;
                        } else {
                            failed.incrementAndGet();
                        }
                    });
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        allSent.get();
        ticker.shutdownNow();
        double writeSeconds = (System.nanoTime() - startedAt) / 1e9;
        CompletableFuture.allOf(Arrays.stream(writes).filter(w -> w != null).toArray(CompletableFuture[]::new))
                .get(60, TimeUnit.SECONDS);

        // Drain: every subscriber should receive every committed event.
        long expected = (long) ok.get() * sockets.size();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.get() < expected && System.nanoTime() < deadline && closed.get() == 0) {
            Thread.sleep(50); // a load client polling its own counters; nothing to await on
        }
        sockets.forEach(WebSocket::abort);

        int n = samples.get();
        long[] commit = Arrays.copyOf(fromCommit, n);
        long[] sent = Arrays.copyOf(fromSent, n);
        Arrays.sort(commit);
        Arrays.sort(sent);
        long[] responses = Arrays.stream(responseMicros, (int) firstMeasured, total).filter(v -> v > 0).sorted().toArray();

        StringBuilder md = new StringBuilder();
        md.append("## WebSocket fan-out\n\n");
        md.append(String.format(Locale.ROOT, "- %d subscribers (observers, %d connections per agent) on one instance, connected in %.1f s%n",
                sockets.size(), perAgent, connectSeconds));
        md.append(String.format(Locale.ROOT, "- %d events/s for %d s (+%d s warm-up, not measured), one comment per event, "
                + "one writer; %d committed, %d failed; offered for %.1f s%n", rate, seconds, warmup, ok.get(), failed.get(), writeSeconds));
        md.append(String.format(Locale.ROOT, "- deliveries: %d of %d expected (%s), out of order or duplicated: %d, connections closed: %d%s%n",
                received.get(), expected, received.get() == expected ? "all" : "MISSING " + (expected - received.get()),
                outOfOrder.get(), closed.get(), closeReasons.isEmpty() ? "" : " " + closeReasons.peek()));
        md.append(String.format(Locale.ROOT, "- %d measured deliveries (%d events x %d subscribers)%n", n, ok.get() - firstMeasured, sockets.size()));
        double clientCpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        md.append(String.format(Locale.ROOT, "- CPU used by this load client (JDK WebSockets, one HttpClient per 50): %.1f s%n%n", clientCpu));
        md.append("| delay | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |\n|---|---|---|---|---|---|\n");
        md.append(row("commit (event `at`) -> received", commit));
        md.append(row("POST sent -> received", sent));
        md.append(row("POST sent -> 201 response (writer)", responses));
        return md.toString();
    }

    List<WebSocket> connectAll(List<String> keys) throws Exception {
        Semaphore inFlight = new Semaphore(50);
        List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            inFlight.acquire();
            String agentKey = keys.get(i / perAgent);
            CompletableFuture<WebSocket> ws = subscriberClients.get(i / 50).newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + agentKey)
                    .buildAsync(URI.create(url.replaceFirst("^http", "ws") + "/api/v1/events/ws"), new Subscriber())
                    .whenComplete((s, e) -> inFlight.release());
            pending.add(ws);
        }
        List<WebSocket> sockets = new ArrayList<>();
        for (CompletableFuture<WebSocket> ws : pending) {
            sockets.add(ws.get(60, TimeUnit.SECONDS));
        }
        return sockets;
    }

    final class Subscriber implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private long lastId;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (!last) {
                partial.append(data);
                ws.request(1);
                return null;
            }
            long receivedAt = nowMicros();
            String text = partial.isEmpty() ? data.toString() : partial.append(data).toString();
            partial.setLength(0);
            received.incrementAndGet();
            Matcher id = ID.matcher(text);
            if (id.find()) {
                long value = Long.parseLong(id.group(1));
                if (value <= lastId) {
                    outOfOrder.incrementAndGet();
                }
                lastId = value;
            }
            Matcher body = BODY.matcher(text);
            Matcher at = AT.matcher(text);
            if (body.find() && at.find() && Long.parseLong(body.group(1)) >= firstMeasured) {
                Instant committed = Instant.parse(at.group(1));
                int slot = samples.getAndIncrement();
                if (slot < fromCommit.length) {
                    fromCommit[slot] = receivedAt - (committed.getEpochSecond() * 1_000_000 + committed.getNano() / 1_000);
                    fromSent[slot] = receivedAt - Long.parseLong(body.group(2));
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.incrementAndGet();
            closeReasons.add(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.incrementAndGet();
            closeReasons.add(String.valueOf(error));
        }
    }

    static String row(String name, long[] sorted) {
        if (sorted.length == 0) {
            return "| " + name + " | - | - | - | - | - |\n";
        }
        return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f |%n", name,
                pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9), sorted[sorted.length - 1] / 1000.0);
    }

    static double pct(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    HttpRequest.Builder request(String path, String agentKey) {
        return HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + agentKey).header("Content-Type", "application/json");
    }

    String post(String path, String agentKey, String json, String field) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(path, agentKey).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(path + " -> " + response.statusCode() + " " + response.body());
        }
        Matcher m = Pattern.compile("\"" + field + "\":\"?([^\",}]+)").matcher(response.body());
        if (!m.find()) {
            throw new IllegalStateException("no " + field + " in " + response.body());
        }
        return m.group(1);
    }
}
