/*
 * Waking benchmarks (issue 17) against a running Olympus; single file, JDK only:
 *
 *   java bench/Wake.java --url http://127.0.0.1:18080 --key olk_<admin key> --pid <service pid> [--out file.md]
 *        [--waiters 100] [--tasks 300] [--webhooks 10] [--backlog 2000] [--rate 50] [--seconds 10] [--idle 1000]
 *
 * 1. Idle-to-claimed: --waiters workers each hold POST /tasks/claim?wait=60 (narrowed to a label of this run); tasks
 *    are created one at a time; latency = the waiter's 200 minus the creator's 201 (the 201 comes after the commit,
 *    so this slightly understates commit-to-200). p50/p99 over --tasks tasks. Double claims must be 0.
 * 2. Webhooks: a loopback receiver (the JDK's HttpServer) and --webhooks webhooks on task.created of this run's
 *    label. Throughput: --backlog tasks are created while the webhooks are paused, then all are resumed and the
 *    drain is timed (deliveries/s over all webhooks). Latency: tasks created at --rate per second for --seconds;
 *    commit (201) to arrival at the receiver, p50/p99 over all deliveries.
 * 3. Idle cost: the service's CPU time (from /proc/<pid>/stat) over 20 s with no waiter, then with --idle waiters
 *    held (claim?wait=60 on a label no task has).
 */
import com.sun.net.httpserver.HttpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Wake {

    static final HttpClient HTTP = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(10)).build();
    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    static final Pattern KEY = Pattern.compile("\"apiKey\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern TASK_ID = Pattern.compile("\"taskId\"\\s*:\\s*(\\d+)");
    static String url;
    static String adminKey;
    static final StringBuilder report = new StringBuilder();

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        url = opt.get("url");
        adminKey = opt.get("key");
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        line("# Waking benchmarks, " + Instant.now());
        claimLatency(run, Integer.parseInt(opt.getOrDefault("waiters", "100")), Integer.parseInt(opt.getOrDefault("tasks", "300")));
        webhooks(run, Integer.parseInt(opt.getOrDefault("webhooks", "10")), Integer.parseInt(opt.getOrDefault("backlog", "2000")),
                Integer.parseInt(opt.getOrDefault("rate", "50")), Integer.parseInt(opt.getOrDefault("seconds", "10")));
        idleCost(run, Long.parseLong(opt.get("pid")), Integer.parseInt(opt.getOrDefault("idle", "1000")));
        if (opt.containsKey("out")) {
            Files.writeString(Path.of(opt.get("out")), report.toString());
        }
    }

    // ---- 1. idle-to-claimed ----

    static void claimLatency(String run, int waiters, int tasks) throws Exception {
        String label = "wake-" + run;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            keys.add(agent("w" + run + "-" + i, "worker"));
        }
        String creator = agent("c" + run, "orchestrator");
        Map<Long, Long> answeredAt = new ConcurrentHashMap<>();
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger doubles = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger held = new AtomicInteger();
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (String key : keys) {
            loops.add(CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    held.incrementAndGet();
                    HttpResponse<String> r = send(key, "POST", "/api/v1/tasks/claim?wait=60", "{\"labels\":[\"" + label + "\"]}");
                    long now = System.nanoTime();
                    held.decrementAndGet();
                    if (r.statusCode() == 200) {
                        long id = id(r.body());
                        answeredAt.put(id, now);
                        if (!seen.add(id)) {
                            doubles.incrementAndGet();
                        }
                    }
                }
            }, Executors.newVirtualThreadPerTaskExecutor()));
        }
        waitUntil(() -> held.get() == waiters, 10_000);
        Thread.sleep(1000); // every waiter is parked on the server
        Map<Long, Long> createdAt = new HashMap<>();
        for (int i = 0; i < tasks; i++) {
            HttpResponse<String> r = send(creator, "POST", "/api/v1/tasks", "{\"title\":\"wake " + run + " " + i
                    + "\",\"labels\":[\"" + label + "\"]}");
            createdAt.put(id(r.body()), System.nanoTime());
            Thread.sleep(20);
            if (i % 50 == 49) {
                waitUntil(() -> held.get() >= waiters - 1, 5_000); // re-armed
            }
        }
        waitUntil(() -> answeredAt.size() >= tasks, 10_000);
        stop.set(true);
        List<Double> latencies = new ArrayList<>();
        createdAt.forEach((id, at) -> {
            Long answered = answeredAt.get(id);
            if (answered != null) {
                latencies.add((answered - at) / 1e6);
            }
        });
        line("");
        line("## Idle-to-claimed (" + waiters + " waiting workers, " + tasks + " tasks, one every 20 ms)");
        line("claimed " + latencies.size() + "/" + tasks + ", double claims " + doubles.get());
        line("201-to-200 latency ms: " + percentiles(latencies));
    }

    // ---- 2. webhooks ----

    static void webhooks(String run, int count, int backlog, int rate, int seconds) throws Exception {
        String label = "hook-" + run;
        Map<Long, Long> createdAt = new ConcurrentHashMap<>();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger delivered = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long now = System.nanoTime();
            Matcher m = TASK_ID.matcher(new String(body));
            if (m.find()) {
                Long at = createdAt.get(Long.parseLong(m.group(1)));
                if (at != null) {
                    latencies.add((now - at) / 1e6);
                }
            }
            delivered.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        String creator = agent("h" + run, "orchestrator");
        List<Long> hooks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String created = send(adminKey, "POST", "/api/v1/webhooks", "{\"url\":\"http://127.0.0.1:" + server.getAddress().getPort()
                    + "/h" + i + "\",\"types\":[\"task.created\"],\"label\":\"" + label + "\"}").body();
            hooks.add(id(created));
        }
        // Throughput: a backlog, then resume all.
        for (long hook : hooks) {
            send(adminKey, "PATCH", "/api/v1/webhooks/" + hook, "{\"state\":\"paused\"}");
        }
        List<CompletableFuture<Void>> creators = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        for (int c = 0; c < 4; c++) {
            creators.add(CompletableFuture.runAsync(() -> {
                for (int i = next.getAndIncrement(); i < backlog; i = next.getAndIncrement()) {
                    send(creator, "POST", "/api/v1/tasks", "{\"title\":\"hook " + run + " " + i + "\",\"labels\":[\"" + label + "\"]}");
                }
            }, Executors.newVirtualThreadPerTaskExecutor()));
        }
        CompletableFuture.allOf(creators.toArray(CompletableFuture[]::new)).join();
        long start = System.nanoTime();
        for (long hook : hooks) {
            send(adminKey, "PATCH", "/api/v1/webhooks/" + hook, "{\"state\":\"active\"}");
        }
        waitUntil(() -> delivered.get() >= backlog * count, 300_000);
        double drain = (System.nanoTime() - start) / 1e9;
        line("");
        line("## Webhooks (" + count + " webhooks, loopback receiver answering 204)");
        line(String.format("backlog of %d events x %d webhooks = %d deliveries in %.2f s: %.0f deliveries/s",
                backlog, count, backlog * count, drain, backlog * count / drain));
        // Latency at a steady rate.
        int base = delivered.get();
        int total = rate * seconds;
        for (int i = 0; i < total; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = send(creator, "POST", "/api/v1/tasks", "{\"title\":\"hook live " + run + " " + i
                    + "\",\"labels\":[\"" + label + "\"]}");
            createdAt.put(id(r.body()), System.nanoTime());
            long sleep = 1_000_000_000L / rate - (System.nanoTime() - t0);
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        }
        waitUntil(() -> delivered.get() >= base + total * count, 60_000);
        line(String.format("steady %d tasks/s for %d s (x %d webhooks): 201-to-delivery ms %s", rate, seconds, count,
                percentiles(new ArrayList<>(latencies))));
        for (long hook : hooks) {
            send(adminKey, "DELETE", "/api/v1/webhooks/" + hook, null);
        }
        server.stop(0);
    }

    // ---- 3. idle cost ----

    static void idleCost(String run, long pid, int waiters) throws Exception {
        double quiet = cpuOver(pid, 20);
        int agents = Math.max(1, waiters / 100);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            keys.add(agent("i" + run + "-" + i, "worker"));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger held = new AtomicInteger();
        for (int i = 0; i < waiters; i++) {
            String key = keys.get(i % agents);
            CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    held.incrementAndGet();
                    send(key, "POST", "/api/v1/tasks/claim?wait=60", "{\"labels\":[\"nothing-" + run + "\"]}");
                    held.decrementAndGet();
                }
            }, Executors.newVirtualThreadPerTaskExecutor());
        }
        waitUntil(() -> held.get() == waiters, 30_000);
        Thread.sleep(2000);
        double idle = cpuOver(pid, 20);
        stop.set(true);
        line("");
        line("## Idle cost (" + waiters + " waiting claims, from " + agents + " agents)");
        line(String.format("service CPU over 20 s: %.2f s with no waiter, %.2f s with %d waiters held (%.1f%% of one core)",
                quiet, idle, waiters, idle / 20 * 100));
    }

    static double cpuOver(long pid, int seconds) throws Exception {
        double before = cpu(pid);
        Thread.sleep(seconds * 1000L);
        return cpu(pid) - before;
    }

    static double cpu(long pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst("^.*\\) ", "").split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime, in clock ticks (100 Hz)
    }

    // ---- helpers ----

    static String agent(String name, String role) {
        return match(KEY, send(adminKey, "POST", "/api/v1/agents", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}").body());
    }

    static HttpResponse<String> send(String key, String method, String path, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(90))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
            }
            return r;
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    static long id(String json) {
        return Long.parseLong(match(ID, json));
    }

    static String match(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("not found in " + text);
        }
        return m.group(1);
    }

    static void waitUntil(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > until) {
                throw new IllegalStateException("timed out waiting");
            }
            Thread.sleep(10);
        }
    }

    static String percentiles(List<Double> values) {
        if (values.isEmpty()) {
            return "no samples";
        }
        Collections.sort(values);
        return String.format("p50 %.1f, p90 %.1f, p99 %.1f, max %.1f (n=%d)", at(values, 0.5), at(values, 0.9),
                at(values, 0.99), values.getLast(), values.size());
    }

    static double at(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    static void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }
}
