/*
 * Soak load client (bench/soak.sh runs it): mixed agent traffic against several Olympus instances for a fixed time,
 * failing over between them while the script kills and restarts them. Single file, JDK only:
 *
 *   java bench/Soak.java --urls http://127.0.0.1:8081,http://127.0.0.1:8082 --key olk_<admin key> --seconds 1800 \
 *        --out DIR [--faults FILE] [--workers 6] [--subscribers 4] [--create-rate 3] [--fail-share 0.15]
 *
 * Actors (agents created here through the first URL):
 * - one orchestrator creates tasks labelled `soak` (an Idempotency-Key on every POST, sent again with the same key
 *   after an I/O error, and again while the first try is answered 409 idempotency-key-in-flight) and retries the
 *   tasks that workers failed;
 * - workers claim, heartbeat, comment and then complete or fail (fail-share) each task, fenced by its lease epoch;
 * - observers follow the event WebSocket and resume with ?after=<last id received> after every disconnect; every
 *   20 s away from home they close on purpose and go back (so later kills hit them again).
 * Every actor has a home instance and moves to the next one after an I/O error or a 503.
 *
 * Writes into --out: client.md (requests by status class, errors, event counts), unexpected.txt (unexpected 5xx and
 * I/O errors: two numbers), acked.tsv (every acknowledged write:
 * "task <id> <status it must have, or *>" and "comment <id> *"), sub-<n>.ids (event ids each subscriber received,
 * in order of receipt), range.txt (the event head before and after the run).
 * --faults: lines "<epoch ms> <instance index> kill9|term|ready" written by the script. A 5xx or I/O error on an
 * instance while it was down (from its kill or SIGTERM until 3 s after it was ready again) is expected.
 */
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
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Soak {

    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    static final String[] PRIORITIES = {"critical", "high", "medium", "low"};
    static final long EXPECTED_AFTER_READY_MS = 3_000;

    record Reply(int status, String body, String error) {
        boolean io() {
            return status < 0;
        }
    }

    /** A 5xx answer ({@code what} starts with the status) or an I/O error ({@code what} is the exception's name). */
    record Failure(long start, long end, int instance, String request, String what) {
        boolean status() {
            return Character.isDigit(what.charAt(0));
        }
    }

    record Fault(long at, int instance, String action) {}

    final List<String> urls;
    final String adminKey;
    final int seconds;
    final int workers;
    final int subscribers;
    final double createRate;
    final double failShare;
    final Path out;
    final Path faults;
    final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final HttpClient wsClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    /** Reconnecting subscribers (a connect may wait for an instance that is down). */
    final ExecutorService reconnects = Executors.newCachedThreadPool();

    final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> toRetry = new ConcurrentLinkedQueue<>();
    volatile boolean stopping;

    Soak(Map<String, String> o) {
        urls = List.of(o.get("urls").split(","));
        adminKey = o.get("key");
        seconds = Integer.parseInt(o.getOrDefault("seconds", "1800"));
        workers = Integer.parseInt(o.getOrDefault("workers", "6"));
        subscribers = Integer.parseInt(o.getOrDefault("subscribers", "4"));
        createRate = Double.parseDouble(o.getOrDefault("create-rate", "3"));
        failShare = Double.parseDouble(o.getOrDefault("fail-share", "0.15"));
        out = Path.of(o.get("out"));
        faults = o.containsKey("faults") ? Path.of(o.get("faults")) : null;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!options.containsKey("urls") || !options.containsKey("key") || !options.containsKey("out")) {
            System.err.println("usage: java Soak.java --urls http://h:p,http://h:q --key olk_... --out DIR [--seconds 1800] "
                    + "[--faults FILE] [--workers 6] [--subscribers 4] [--create-rate 3] [--fail-share 0.15]");
            System.exit(2);
        }
        new Soak(options).run();
        System.exit(0);
    }

    void run() throws Exception {
        Files.createDirectories(out);
        String orchestratorKey = createAgent("soak-" + run + "-orchestrator", "orchestrator");
        List<String> workerKeys = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            workerKeys.add(createAgent("soak-" + run + "-worker-" + i, "worker"));
        }
        List<String> observerKeys = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            observerKeys.add(createAgent("soak-" + run + "-observer-" + i, "observer"));
        }
        long firstHead = head();
        List<Subscriber> subs = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            Subscriber s = new Subscriber(i, observerKeys.get(i), i % urls.size(), firstHead);
            subs.add(s);
            s.connect();
        }
        timers.scheduleWithFixedDelay(() -> subs.forEach(Subscriber::goHomeIfAway), 5, 5, TimeUnit.SECONDS);

        long started = System.currentTimeMillis();
        log("running for %d s: 1 orchestrator, %d workers, %d subscribers over %d instances", seconds, workers,
                subscribers, urls.size());
        List<Thread> actors = new ArrayList<>();
        actors.add(Thread.ofPlatform().name("orchestrator").start(() -> orchestrator(new Actor(0), orchestratorKey)));
        for (int i = 0; i < workers; i++) {
            int n = i;
            actors.add(Thread.ofPlatform().name("worker-" + i).start(() -> worker(new Actor(n % urls.size()), workerKeys.get(n), n)));
        }
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
        progress.scheduleAtFixedRate(() -> log("%ds: %s", (System.currentTimeMillis() - started) / 1000, summaryLine()),
                30, 30, TimeUnit.SECONDS);
        Thread.sleep(seconds * 1000L);
        stopping = true;
        for (Thread actor : actors) {
            actor.join(120_000); // an actor finishes its current step (retries included) and stops
        }
        progress.shutdownNow();

        // Drain: every subscriber must reach the head of the log as it is now, then the run is over.
        long lastHead = head();
        long drainDeadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < drainDeadline && subs.stream().anyMatch(s -> s.lastId < lastHead)) {
            Thread.sleep(100); // a load client polling its own counters
        }
        subs.forEach(Subscriber::finish);
        timers.shutdownNow();
        reconnects.shutdownNow();

        Files.writeString(out.resolve("range.txt"), firstHead + " " + lastHead + "\n");
        Files.write(out.resolve("acked.tsv"), acked);
        for (Subscriber s : subs) {
            StringBuilder ids = new StringBuilder();
            synchronized (s) {
                for (int i = 0; i < s.count; i++) {
                    ids.append(s.ids[i]).append('\n');
                }
            }
            Files.writeString(out.resolve("sub-" + s.n + ".ids"), ids);
        }
        String report = report(subs, started, firstHead, lastHead);
        Files.writeString(out.resolve("client.md"), report);
        System.out.println(report);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Actors

    void orchestrator(Actor a, String key) {
        long next = System.nanoTime();
        long period = (long) (1e9 / createRate);
        int n = 0;
        while (!stopping) {
            Long failed = toRetry.poll();
            if (failed != null) {
                Reply r = idempotent(a, "/api/v1/tasks/" + failed + "/retry", key, "{}", "soak-" + run + "-retry-" + failed);
                count("work", r.status == 201 ? "retries created" : "retries refused " + r.status + " " + code(r.body));
                if (r.status == 201) {
                    acked.add("task " + id(r.body) + " *");
                }
                continue;
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleep(wait / 1_000_000);
                continue;
            }
            next += period;
            n++;
            String body = "{\"title\":\"soak " + run + " task " + n + "\",\"labels\":[\"soak\"],\"priority\":\""
                    + PRIORITIES[n % 4] + "\",\"maxAttempts\":3,\"description\":\"created by the soak test\"}";
            Reply r = idempotent(a, "/api/v1/tasks", key, body, "soak-" + run + "-create-" + n);
            if (r.status == 201) {
                acked.add("task " + id(r.body) + " *");
                count("work", "tasks created");
            } else {
                count("work", "creates refused " + r.status + " " + code(r.body));
            }
        }
    }

    void worker(Actor a, String key, int n) {
        Random random = new Random(n);
        int comments = 0;
        while (!stopping) {
            Reply claim = a.send("POST", "/api/v1/tasks/claim", key, "{\"labels\":[\"soak\"]}");
            if (claim.status == 204) {
                a.send("POST", "/api/v1/agents/me/heartbeat", key, "{\"status\":\"idle\"}");
                sleep(1000);
                continue;
            }
            if (claim.status != 200) {
                sleep(claim.status == 429 ? 2000 : 500);
                continue;
            }
            count("work", "claims");
            long task = id(claim.body);
            long epoch = number(claim.body, "leaseEpoch");
            a.send("POST", "/api/v1/agents/me/heartbeat", key,
                    "{\"status\":\"working\",\"taskId\":" + task + ",\"leaseEpoch\":" + epoch + "}");
            Reply comment = idempotent(a, "/api/v1/tasks/" + task + "/comments", key,
                    "{\"body\":\"soak progress on " + task + "\"}", "soak-" + run + "-w" + n + "-c" + (++comments));
            if (comment.status == 201) {
                acked.add("comment " + id(comment.body) + " *");
            }
            sleep(200 + random.nextInt(800));
            boolean fail = random.nextDouble() < failShare;
            String status = fail ? "failed" : "done";
            Reply finish = a.send("PATCH", "/api/v1/tasks/" + task, key,
                    "{\"status\":\"" + status + "\",\"result\":\"soak result of " + task + "\"}",
                    "Olympus-Lease-Epoch", Long.toString(epoch));
            if (finish.status == 200) {
                acked.add("task " + task + " " + status);
                count("work", fail ? "tasks failed" : "tasks done");
                if (fail) {
                    toRetry.add(task);
                }
            } else {
                count("work", "finishes refused " + finish.status + " " + code(finish.body));
            }
        }
    }

    /** A POST with an Idempotency-Key, sent again (same key) while the first try is still in flight somewhere. */
    Reply idempotent(Actor a, String path, String key, String body, String idempotencyKey) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            Reply r = a.send("POST", path, key, body, "Idempotency-Key", idempotencyKey);
            boolean again = r.status == 429 || (r.status == 409 && "idempotency-key-in-flight".equals(code(r.body)));
            if (!again || System.currentTimeMillis() > deadline) {
                return r;
            }
            count("work", "waits: " + r.status + " " + code(r.body));
            sleep(1000);
        }
    }

    /** One agent's connection to the cluster: its home instance, or the next one after an I/O error or a 503. */
    final class Actor {
        final int home;
        int current;
        long leftHomeAt;

        Actor(int home) {
            this.home = home;
            this.current = home;
        }

        Reply send(String method, String path, String key, String json, String... headers) {
            if (current != home && System.currentTimeMillis() - leftHomeAt > 20_000) {
                current = home;
            }
            for (int attempt = 1; ; attempt++) {
                Reply r = call(current, method, path, key, json, headers);
                if (!(r.io() || r.status == 503) || attempt == 8) {
                    return r;
                }
                if (current == home) {
                    leftHomeAt = System.currentTimeMillis();
                }
                current = (current + 1) % urls.size();
                count("work", "fail-overs");
                sleep(attempt < urls.size() ? 0 : 250L * attempt);
            }
        }
    }

    Reply call(int instance, String method, String path, String key, String json, String... headers) {
        long start = System.currentTimeMillis();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(urls.get(instance) + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key);
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        String what = method + " " + path.replaceAll("/\\d+", "/{id}");
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            count("i" + instance, (status / 100) + "xx");
            if (status >= 400 && status < 500) {
                count("4xx", status + " " + code(response.body()));
            }
            if (status >= 500) {
                failures.add(new Failure(start, System.currentTimeMillis(), instance, what, status + " " + code(response.body())));
            }
            return new Reply(status, response.body(), null);
        } catch (IOException e) {
            count("i" + instance, "io");
            failures.add(new Failure(start, System.currentTimeMillis(), instance, what, e.getClass().getSimpleName()));
            return new Reply(-1, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, null, e.toString());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Event stream subscribers

    final class Subscriber implements WebSocket.Listener {
        final int n;
        final String key;
        final int home;
        volatile int current;
        volatile long lastId;
        long[] ids = new long[1024];
        int count;
        long duplicates;
        final AtomicLong disconnects = new AtomicLong();
        final AtomicLong connectFailures = new AtomicLong();
        final StringBuilder partial = new StringBuilder();
        volatile WebSocket socket;
        volatile long leftHomeAt;
        volatile boolean finished;
        volatile boolean reconnecting;

        Subscriber(int n, String key, int home, long after) {
            this.n = n;
            this.key = key;
            this.home = home;
            this.current = home;
            this.lastId = after;
        }

        /** Connects (with ?after=<last id received>), trying the next instance after each failure, until it works. */
        void connect() {
            while (!finished) {
                String url = urls.get(current).replaceFirst("^http", "ws") + "/api/v1/events/ws?after=" + lastId;
                try {
                    partial.setLength(0);
                    socket = wsClient.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                            .header("Authorization", "Bearer " + key).buildAsync(URI.create(url), this)
                            .get(15, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    connectFailures.incrementAndGet();
                    if (current == home) {
                        leftHomeAt = System.currentTimeMillis();
                    }
                    current = (current + 1) % urls.size();
                    sleep(250);
                }
            }
        }

        void reconnectLater() {
            if (finished || reconnecting) {
                return;
            }
            reconnecting = true;
            disconnects.incrementAndGet();
            timers.schedule(() -> reconnects.execute(() -> {
                reconnecting = false;
                connect();
            }), 100, TimeUnit.MILLISECONDS);
        }

        /** Away from home for 20 s: close on purpose and resume at home, so later kills of that instance hit it again. */
        void goHomeIfAway() {
            WebSocket ws = socket;
            if (!finished && current != home && ws != null && System.currentTimeMillis() - leftHomeAt > 20_000) {
                current = home;
                count("events", "planned reconnects (back home)");
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "back home");
            }
        }

        void finish() {
            finished = true;
            WebSocket ws = socket;
            if (ws != null) {
                ws.abort();
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                Matcher m = ID.matcher(partial);
                if (m.find()) {
                    long id = Long.parseLong(m.group(1));
                    synchronized (this) {
                        if (count == ids.length) {
                            ids = Arrays.copyOf(ids, count * 2);
                        }
                        ids[count++] = id;
                        if (id <= lastId) {
                            duplicates++;
                        } else {
                            lastId = id;
                        }
                    }
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            count("events", "closes " + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason));
            if (ws == socket) {
                reconnectLater();
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            count("events", "errors " + error.getClass().getSimpleName());
            if (ws == socket) {
                reconnectLater();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Report

    String report(List<Subscriber> subs, long started, long firstHead, long lastHead) throws IOException {
        List<Fault> faultLog = readFaults();
        StringBuilder md = new StringBuilder();
        md.append("## Traffic (client side)\n\n");
        md.append(String.format(Locale.ROOT, "- %d s of load from %s; 1 orchestrator (%.1f tasks/s offered), %d workers "
                        + "(%.0f %% of tasks failed on purpose, then retried by the orchestrator), %d observers on the event WebSocket%n",
                seconds, Instant.ofEpochMilli(started), createRate, workers, failShare * 100, subscribers));
        md.append("- every actor has a home instance and moves to the other after an I/O error or a 503 (and back after 20 s)\n\n");
        md.append("| instance | requests | 2xx | 3xx | 4xx | 5xx | I/O errors |\n|---|---|---|---|---|---|---|\n");
        long[] total = new long[6];
        for (int i = 0; i < urls.size(); i++) {
            long[] row = {get("i" + i, "2xx"), get("i" + i, "3xx"), get("i" + i, "4xx"), get("i" + i, "5xx"), get("i" + i, "io")};
            long sum = Arrays.stream(row).sum();
            md.append(String.format("| %s (%s) | %d | %d | %d | %d | %d | %d |%n", (char) ('A' + i), urls.get(i), sum,
                    row[0], row[1], row[2], row[3], row[4]));
            total[0] += sum;
            for (int k = 0; k < 5; k++) {
                total[k + 1] += row[k];
            }
        }
        md.append(String.format("| all | %d | %d | %d | %d | %d | %d |%n%n", total[0], total[1], total[2], total[3], total[4], total[5]));
        md.append("4xx by status and problem code: ").append(group("4xx")).append("\n\n");
        md.append("Work: ").append(group("work")).append("\n\n");

        List<Failure> expected = new ArrayList<>();
        List<Failure> unexpected = new ArrayList<>();
        for (Failure f : failures) {
            (whileDown(f, faultLog) ? expected : unexpected).add(f);
        }
        md.append("## Errors\n\n");
        md.append("Expected: on an instance that was down (from its kill -9 or SIGTERM until ")
                .append(EXPECTED_AFTER_READY_MS / 1000).append(" s after it was ready again); the actor then moved on.\n\n");
        md.append("| | expected (instance down) | unexpected |\n|---|---|---|\n");
        md.append(String.format("| 5xx | %d | **%d** |%n", expected.stream().filter(Failure::status).count(),
                unexpected.stream().filter(Failure::status).count()));
        md.append(String.format("| I/O errors | %d | **%d** |%n%n", expected.stream().filter(f -> !f.status()).count(),
                unexpected.stream().filter(f -> !f.status()).count()));
        Files.writeString(out.resolve("unexpected.txt"), unexpected.stream().filter(Failure::status).count() + " "
                + unexpected.stream().filter(f -> !f.status()).count() + "\n");
        if (!expected.isEmpty()) {
            md.append("Expected, by kind: ").append(byKind(expected)).append("\n\n");
        }
        if (!unexpected.isEmpty()) {
            md.append("Unexpected (first 20):\n\n| t (s) | instance | request | what | took ms |\n|---|---|---|---|---|\n");
            unexpected.stream().sorted((x, y) -> Long.compare(x.start(), y.start())).limit(20).forEach(f ->
                    md.append(String.format(Locale.ROOT, "| %.1f | %s | %s | %s | %d |%n", (f.start() - started) / 1000.0,
                            (char) ('A' + f.instance()), f.request(), f.what(), f.end() - f.start())));
            md.append('\n');
        }

        md.append("## Event stream (client side)\n\n");
        md.append(String.format("Events in the log during the run: ids %d to %d (head before and after).%n%n", firstHead + 1, lastHead));
        md.append("| subscriber | home | events received | duplicates or out of order | disconnects | failed connects | last id |\n|---|---|---|---|---|---|---|\n");
        for (Subscriber s : subs) {
            md.append(String.format("| %d | %s | %d | %d | %d | %d | %d |%n", s.n, (char) ('A' + s.home), s.count, s.duplicates,
                    s.disconnects.get(), s.connectFailures.get(), s.lastId));
        }
        md.append("\nWebSocket closes and errors seen: ").append(group("events")).append("\n");
        return md.toString();
    }

    boolean whileDown(Failure f, List<Fault> faultLog) {
        long downSince = -1;
        for (Fault fault : faultLog) {
            if (fault.instance() != f.instance()) {
                continue;
            }
            if (!fault.action().equals("ready")) {
                downSince = fault.at();
            } else if (downSince >= 0) {
                long upAgain = fault.at() + EXPECTED_AFTER_READY_MS;
                if (f.end() >= downSince && f.start() <= upAgain) {
                    return true;
                }
                downSince = -1;
            }
        }
        return downSince >= 0 && f.end() >= downSince;
    }

    List<Fault> readFaults() throws IOException {
        List<Fault> list = new ArrayList<>();
        if (faults != null && Files.exists(faults)) {
            for (String line : Files.readAllLines(faults)) {
                String[] p = line.trim().split("\\s+");
                if (p.length == 3) {
                    list.add(new Fault(Long.parseLong(p[0]), Integer.parseInt(p[1]), p[2]));
                }
            }
        }
        return list;
    }

    static String byKind(List<Failure> list) {
        Map<String, Long> kinds = new TreeMap<>();
        list.forEach(f -> kinds.merge((char) ('A' + f.instance()) + ": " + f.what(), 1L, Long::sum));
        return kinds.toString().replaceAll("[{}]", "");
    }

    void count(String group, String what) {
        counts.computeIfAbsent(group + "|" + what, k -> new LongAdder()).increment();
    }

    long get(String group, String what) {
        LongAdder adder = counts.get(group + "|" + what);
        return adder == null ? 0 : adder.sum();
    }

    String group(String group) {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((k, v) -> {
            if (k.startsWith(group + "|")) {
                sorted.put(k.substring(group.length() + 1), v.sum());
            }
        });
        if (sorted.isEmpty()) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        sorted.forEach((k, v) -> s.append(s.isEmpty() ? "" : "; ").append(k.trim()).append(": ").append(v));
        return s.toString();
    }

    String summaryLine() {
        return "2xx " + (get("i0", "2xx") + get("i1", "2xx")) + ", 4xx " + (get("i0", "4xx") + get("i1", "4xx"))
                + ", 5xx " + (get("i0", "5xx") + get("i1", "5xx")) + ", I/O " + (get("i0", "io") + get("i1", "io"))
                + ", done " + get("work", "tasks done") + ", failed " + get("work", "tasks failed");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers

    String createAgent(String name, String role) throws IOException, InterruptedException {
        Reply r = call(0, "POST", "/api/v1/agents", adminKey, "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
        if (r.status != 201) {
            throw new IllegalStateException("creating " + name + ": " + r.status + " " + r.body + " " + r.error);
        }
        Matcher m = Pattern.compile("\"apiKey\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body);
        if (!m.find()) {
            throw new IllegalStateException("no apiKey in " + r.body);
        }
        return m.group(1);
    }

    long head() {
        for (int attempt = 0; ; attempt++) {
            Reply r = call(attempt % urls.size(), "GET", "/api/v1/events?limit=1", adminKey, null);
            if (r.status == 200) {
                return number(r.body, "head");
            }
            if (attempt > 50) {
                throw new IllegalStateException("no event head: " + r.status + " " + r.body + " " + r.error);
            }
            sleep(500);
        }
    }

    static long id(String body) {
        Matcher m = ID.matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static long number(String body, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static String code(String body) {
        if (body == null) {
            return "";
        }
        Matcher m = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
        return m.find() ? m.group(1) : "";
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void log(String format, Object... args) {
        System.err.printf("[soak] " + format + "%n", args);
    }
}
